// The guest's crypto randomness is seeded by the run's seed (docs/guest-apps.md): crypto.randomUUID,
// randomBytes (sync and callback), randomFillSync, randomInt, getRandomValues — the same values on every
// run of a seed, other values with another seed, in the formats and with the errors Node gives.
import { describe, expect, it } from 'vitest';
import '../../bin/guest/index.ts';
import { cluster, defineScenario, runScenario, type AppHandle } from '../../scenarios/api/index.ts';

function draws(seed: number): string[] {
  let app: AppHandle | null = null;
  const sc = defineScenario({
    name: 'guest-crypto',
    seed,
    setup: () => cluster({ replicas: 0, sentinels: 0 }),
    script: (s) => {
      app = s.app('web-1', { host: '10.0.0.9' }, async (ctx: any) => {
        const c = await ctx.import('node:crypto');
        ctx.log(`web ${globalThis.crypto.randomUUID()}`);
        ctx.log(`node ${c.randomUUID()}`);
        ctx.log(`bytes ${c.randomBytes(7).toString('hex')}`);
        ctx.log(`values ${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(5))).toString('hex')}`);
        ctx.log(`u32 ${c.getRandomValues(new Uint32Array(2)).join(',')}`);
        ctx.log(`fill ${c.randomFillSync(Buffer.alloc(6), 2, 3).toString('hex')}`);
        ctx.log(`int ${c.randomInt(10)} ${c.randomInt(-5, 5)}`);
        const cb: string = await new Promise((res) => c.randomBytes(4, (_e: unknown, b: Buffer) => res(b.toString('hex'))));
        ctx.log(`callback ${cb}`);
        try {
          c.randomInt(5, 1);
        } catch (e: any) {
          ctx.log(`error ${e.code}`);
        }
      });
      s.sleep('1s');
    },
  });
  const r = runScenario(sc);
  expect(r.status).toBe('ok');
  expect(app!.error).toBe(null);
  return r.sim.trace.records().flatMap((x) => (x.k === 'log' && x.node === app!.node ? [x.line] : []));
}

describe('guest crypto', () => {
  it('seeded: the same values for a seed, others for another seed; Node formats and errors', () => {
    const a = draws(1);
    expect(a).toHaveLength(9);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(a[0]!.slice(4)).toMatch(uuid);
    expect(a[1]!.slice(5)).toMatch(uuid);
    expect(a[0]!.slice(4)).not.toBe(a[1]!.slice(5));
    expect(a[2]).toMatch(/^bytes [0-9a-f]{14}$/);
    expect(a[3]).toMatch(/^values [0-9a-f]{10}$/);
    expect(a[4]).toMatch(/^u32 \d+,\d+$/);
    expect(a[5]).toMatch(/^fill 0000[0-9a-f]{6}00$/); // offset 2, size 3: the rest untouched
    const [i1, i2] = a[6]!.split(' ').slice(1).map(Number);
    expect(i1).toBeGreaterThanOrEqual(0);
    expect(i1).toBeLessThan(10);
    expect(i2).toBeGreaterThanOrEqual(-5);
    expect(i2).toBeLessThan(5);
    expect(a[7]).toMatch(/^callback [0-9a-f]{8}$/);
    expect(a[8]).toBe('error ERR_OUT_OF_RANGE');
    expect(draws(1)).toEqual(a);
    const b = draws(2);
    expect(b[0]).not.toBe(a[0]);
    expect(b[2]).not.toBe(a[2]);
  }, 180_000);
});
