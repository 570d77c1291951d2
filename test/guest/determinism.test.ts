// The guest runtime is deterministic (issue 18): an application host running real ioredis gives the same trace
// hash — every connection, command, reply and history entry — on every repeat and in another thread.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { runShortApp } from './fixtures/short-app.ts';

describe('guest determinism', () => {
  it('same seed ⇒ same trace hash, 100 runs', () => {
    const first = runShortApp();
    expect(first.status).toBe('ok');
    expect(first.ops).toBeGreaterThan(20);
    expect(first.appRecords).toBeGreaterThan(50);
    for (let i = 1; i < 100; i++) expect(runShortApp().sha256, `run ${i + 1}`).toBe(first.sha256);
  }, 600_000);

  it('the same hash from a worker thread', async () => {
    const here = runShortApp();
    const there = await new Promise<{ sha256: string }>((res, rej) => {
      const w = new Worker(new URL('./fixtures/thread.mjs', import.meta.url));
      w.once('message', res);
      w.once('error', rej);
    });
    expect(there.sha256).toBe(here.sha256);
  }, 120_000);
});
