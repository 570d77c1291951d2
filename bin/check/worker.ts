// The tinypool worker: each task is one independent property run (bin/check/task.ts); the named task `shrink`
// shrinks one failure (bin/check/queue/shrink-task.ts, for `sentinel-sim worker`).
import { runTask, type RunTask, type RunReport } from './task.ts';

export { shrinkTask as shrink } from './queue/shrink-task.ts';

export default function (task: RunTask): Promise<RunReport> {
  return runTask(task);
}
