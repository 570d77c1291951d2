// Which replica a partition promotes (sentinelSelectSlave / compareSlavesForPromotion: priority, then the
// slave_repl_offset of the replica's last INFO, then the smaller run id), in jepsen-2013's shape: five boxes,
// n1 the master taking writes, {n1, n2} cut from {n3, n4, n5}.
// - Cut at one instant, the three replicas stop at the same offset: the run id decides (random per process).
// - Cut one box after the other while the writes go on (as the real twin applied a cut before it became one
//   firewall transaction: n1–n3 first, n1–n5 last, 45–300 ms in all), the replica cut last has the most data
//   and wins on offset. The real runs did exactly that: n5 in 4 of 5, and n4 in the one where no write fell
//   between the n4 and n5 cuts (test/fixtures/real-runs/jepsen-2013, recorded before the fix).
import { describe, expect, it } from 'vitest';
import { SELECT_SLAVE_NOTE, type SelectionNote } from '../../engine/sentinel/select.ts';
import { addClients, cluster, defineScenario, runRecords, runScenario, startWorkload, type ScenarioExecutor } from '../../scenarios/api/index.ts';

function selection(staggerMs: number | null, seed: string): SelectionNote {
  let note: SelectionNote | null = null;
  const sc = defineScenario({
    name: 'promotion-cut',
    description: 'test',
    seed: 1,
    setup: () => cluster({ replicas: 4, sentinels: 5, quorum: 3, downAfter: '5s', failoverTimeout: '60s', hostsLayout: 'boxes' }),
    script: (s: ScenarioExecutor) => {
      const c = addClients(s, { hosts: ['c1'], timeoutMs: 1000 });
      startWorkload(s, c, { kind: 'set-add', rate: 100, start: '10s', duration: '20s' });
      s.at('15s');
      if (staggerMs === null) s.cut(['n1', 'n2'], ['n3', 'n4', 'n5']);
      else
        for (const r of ['n3', 'n4', 'n5']) {
          s.cut(['n1', 'n2'], [r]);
          if (r !== 'n5') s.sleep(`${staggerMs}ms`);
        }
      s.waitFor('+selected-slave', { timeout: '20s' });
      const r = runRecords(s).find((x) => x.k === 'note' && x.what === SELECT_SLAVE_NOTE);
      note = (r?.k === 'note' ? r.data : null) as SelectionNote | null;
    },
  });
  const r = runScenario(sc, { seed, ring: 1 << 20 });
  expect(r.error).toBeNull();
  return note!;
}

const offsets = (n: SelectionNote) => Object.fromEntries(n.replicas.filter((x) => x.rejected === null).map((x) => [x.name.split(':')[0], x.offset]));

describe('the replica a partition of five boxes promotes', () => {
  it('cut at one instant: n3, n4, n5 at the same offset, the smallest run id chosen', () => {
    for (const seed of ['1', '2']) {
      const n = selection(null, seed);
      const cands = n.replicas.filter((x) => x.rejected === null);
      expect(cands.map((x) => x.name).sort()).toEqual(['10.0.0.3:6379', '10.0.0.4:6379', '10.0.0.5:6379']);
      expect(new Set(cands.map((x) => x.offset)).size).toBe(1);
      const smallest = [...cands].sort((a, b) => (a.runid!.toLowerCase() < b.runid!.toLowerCase() ? -1 : 1))[0]!;
      expect(n.chosen).toBe(smallest.name);
    }
  }, 60_000);

  it('cut box by box while n1 takes writes: the replica cut last has the larger offset and is promoted', () => {
    for (const seed of ['1', '2']) {
      const n = selection(60, seed);
      const o = offsets(n);
      expect(o['10.0.0.3']!).toBeLessThan(o['10.0.0.4']!);
      expect(o['10.0.0.4']!).toBeLessThan(o['10.0.0.5']!);
      expect(n.chosen).toBe('10.0.0.5:6379');
    }
  }, 60_000);
});
