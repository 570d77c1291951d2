// The active expire cycle: sampling 20 keys per loop, repeating while >10% expired, budgets, replicas.
import { describe, expect, it } from 'vitest';
import { genericCommands } from '../../../engine/redis/commands/generic.ts';
import { stringsCommands } from '../../../engine/redis/commands/strings.ts';
import { activeExpireCycle, activeExpireStats } from '../../../engine/redis/keyspace/activeExpire.ts';
import { Rng } from '../../../engine/sim/rng.ts';
import { createHarness, type Harness } from '../harness.ts';

const mk = (): Harness => createHarness([...stringsCommands, ...genericCommands]);
const rng = new Rng('ae');

describe('activeExpireCycle', () => {
  it('deletes expired keys through expireIfNeeded (DEL propagated), leaves the others', () => {
    const h = mk();
    for (let i = 0; i < 50; i++) h.run('set', `short${i}`, 'v', 'px', '100');
    for (let i = 0; i < 50; i++) h.run('set', `long${i}`, 'v', 'ex', '1000');
    for (let i = 0; i < 50; i++) h.run('set', `plain${i}`, 'v');
    h.propagated.length = 0;
    expect(activeExpireCycle(h.ks, rng)).toBe(0); // nothing expired yet
    h.clock.now += 101;
    // the walk resumes where the previous cycle stopped; a few cycles find every expired key
    let n = 0;
    for (let c = 0; c < 10; c++) n += activeExpireCycle(h.ks, rng);
    expect(n).toBe(50);
    expect(h.ks.db(0).size).toBe(100);
    expect(h.propagated).toHaveLength(50);
    expect(h.propagated.every((a) => a[0] === 'DEL' && a[1]!.startsWith('short'))).toBe(true);
    expect(h.ks.stats.expiredKeys).toBe(50);
  });

  it('stops repeating once at most 10% of the sampled keys were expired', () => {
    const h = mk();
    for (let i = 0; i < 1000; i++) h.run('set', `live${i}`, 'v', 'ex', '1000');
    for (let i = 0; i < 20; i++) h.run('set', `dead${i}`, 'v', 'px', '10');
    h.clock.now += 11;
    // 20 expired among 1020: one loop of 20 samples finds < 10% expired, so it stops early
    const n = activeExpireCycle(h.ks, rng);
    expect(n).toBeLessThan(20);
    let total = n;
    for (let c = 0; c < 200 && total < 20; c++) total += activeExpireCycle(h.ks, rng);
    expect(total).toBe(20);
  });

  it('respects the budget (counted in checked keys) and covers all databases', () => {
    const h = mk();
    for (const d of [0, 5, 15]) {
      h.client.dbIndex = d;
      for (let i = 0; i < 300; i++) h.run('set', `k${i}`, 'v', 'px', '5');
    }
    h.clock.now += 6;
    const first = activeExpireCycle(h.ks, rng, 100);
    expect(first).toBeLessThanOrEqual(100);
    expect(activeExpireStats(h.ks).timeCapReached).toBe(1);
    let total = first;
    for (let c = 0; c < 100 && total < 900; c++) total += activeExpireCycle(h.ks, rng, 100);
    expect(total).toBe(900);
    expect(h.ks.totalKeys()).toBe(0);
  });

  it('fast cycles only run when the previous one hit its limit or many keys are stale', () => {
    const h = mk();
    for (let i = 0; i < 100; i++) h.run('set', `k${i}`, 'v', 'px', '5');
    h.clock.now += 6;
    expect(activeExpireCycle(h.ks, rng, undefined, { fast: true })).toBe(0);
    activeExpireCycle(h.ks, rng, 10); // hits the limit
    expect(activeExpireCycle(h.ks, rng, undefined, { fast: true })).toBeGreaterThan(0);
  });

  it('never runs on a replica', () => {
    const h = mk();
    h.run('set', 'k', 'v', 'px', '5');
    h.isReplica = true;
    h.clock.now += 6;
    expect(activeExpireCycle(h.ks, rng)).toBe(0);
    expect(h.ks.db(0).peek('k')).toBeDefined();
  });

  it('tracks avg_ttl per database', () => {
    const h = mk();
    for (let i = 0; i < 10; i++) h.run('set', `k${i}`, 'v', 'ex', '100');
    activeExpireCycle(h.ks, rng);
    const avg = activeExpireStats(h.ks).avgTtl(0);
    expect(avg).toBeGreaterThan(90_000);
    expect(avg).toBeLessThanOrEqual(100_000);
  });
});
