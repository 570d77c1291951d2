// The application-host examples of issue 18 (scenarios/apps/): real ioredis and node-redis through the tutorial
// failover, Jepsen 2013's partition, and a master whose machine goes silent. Each passes its own expectations, and gives the same trace hash on a
// repeat and in a worker thread (what `check --workers` and the CLI rely on).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { runScenario, type Scenario } from '../../scenarios/api/index.ts';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../scenarios/apps');
const file = (name: string) => resolve(dir, `${name}.ts`);

async function run(name: string): Promise<{ sha256: string; status: string; failures: string[]; notes: string[] }> {
  const sc = ((await import(file(name))) as { default: Scenario }).default;
  const r = runScenario(sc, { readFile: (p) => readFileSync(resolve(dir, p), 'utf8') });
  const notes = r.sim.trace.records().flatMap((x) => (x.k === 'note' && x.what === 'note' ? [(x.data as { text: string }).text] : []));
  return { sha256: r.sha256, status: r.status, failures: r.run.failures.map((f) => f.split('\n')[0]!), notes };
}

function inThread(name: string): Promise<{ sha256: string; status: string }> {
  return new Promise((res, rej) => {
    const w = new Worker(new URL('./fixtures/thread.mjs', import.meta.url), { workerData: { file: file(name) } });
    w.once('message', res);
    w.once('error', rej);
  });
}

describe('application examples', () => {
  it('(a) ioredis through the tutorial failover: no write lost, none to the old master; same hash twice', async () => {
    const a = await run('ioredis-tutorial-failover');
    expect(a.failures).toEqual([]);
    expect(a.status).toBe('ok');
    expect(a.notes.some((n) => /^app web-1: first write acknowledged by the new master 127\.0\.0\.1:8003 /.test(n))).toBe(true);
    expect((await run('ioredis-tutorial-failover')).sha256).toBe(a.sha256);
  }, 600_000);

  it('(b) node-redis through the tutorial failover; same hash in a worker thread', async () => {
    const b = await run('node-redis-tutorial-failover');
    expect(b.failures).toEqual([]);
    expect(b.status).toBe('ok');
    expect((await inThread('node-redis-tutorial-failover')).sha256).toBe(b.sha256);
  }, 600_000);

  it('(c) Jepsen 2013 with ioredis on the minority side: the partition’s writes to n1 are lost', async () => {
    const c = await run('ioredis-jepsen-2013');
    expect(c.failures).toEqual([]);
    expect(c.status).toBe('ok');
    expect(c.notes.filter((n) => / acknowledged writes lost of /.test(n))).toHaveLength(2);
  }, 600_000);

  it('(d) a master gone silent: ioredis with its defaults never recovers, with socketTimeout it does; same hash in a worker thread', async () => {
    const d = await run('ioredis-silent-master');
    expect(d.failures).toEqual([]);
    expect(d.status).toBe('ok');
    expect(d.notes.some((n) => /^app web-1: longest stretch without an acknowledged write .* until its last write attempt\)$/.test(n))).toBe(true);
    expect((await inThread('ioredis-silent-master')).sha256).toBe(d.sha256);
  }, 600_000);
});
