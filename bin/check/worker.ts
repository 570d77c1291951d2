// The tinypool worker: each task is one independent property run (bin/check/task.ts).
import { runTask, type RunTask, type RunReport } from './task.ts';

export default function (task: RunTask): Promise<RunReport> {
  return runTask(task);
}
