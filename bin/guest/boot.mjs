// Worker-thread entry of a guest application: load the TypeScript runtime through tsx when running from
// sources (as bin/check/worker.js does), the compiled one in the package.
import { workerData } from 'node:worker_threads';

if (workerData.compiled) await import('./worker.js');
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./worker.ts');
}
