// The `select-slave` note (select.ts selectionNote): what sentinelSelectSlave saw, every replica with its
// rejection and the choice, as the failover records it before +selected-slave (mutation testing, issue 20).
import { describe, expect, it } from 'vitest';
import { SRI_S_DOWN } from '../../../engine/sentinel/instance.ts';
import { selectionNote, selectSlave } from '../../../engine/sentinel/select.ts';
import { healthy, unitWorld } from '../unit.ts';

describe('selectionNote', () => {
  it('lists every replica with its facts and rejection, the master, the failover epoch and the choice', () => {
    const w = unitWorld();
    const m = w.master();
    m.failoverEpoch = 7;
    const a = healthy(w, w.replica(m, '10.0.0.2', 6379), 100, 10, 'b'.repeat(40));
    const b = healthy(w, w.replica(m, '10.0.0.3', 6379), 0, 99, null);
    const c = healthy(w, w.replica(m, '10.0.0.4', 6379), 50, 5, 'c'.repeat(40));
    c.flags |= SRI_S_DOWN;
    const chosen = selectSlave(w.S, m);
    expect(chosen).toBe(a);
    const note = selectionNote(w.S, m, chosen);
    // in the order sentinelSelectSlave walks the table (Redis's dict order, engine/sentinel/dict.ts)
    expect(note.replicas.map((r) => r.name)).toEqual([...m.slaves.keys()]);
    expect({ ...note, replicas: [...note.replicas].sort((x, y) => x.name.localeCompare(y.name)) }).toEqual({
      master: 'mymaster',
      epoch: 7,
      replicas: [
        { name: '10.0.0.2:6379', runid: 'b'.repeat(40), priority: 100, offset: 10, rejected: null },
        { name: '10.0.0.3:6379', runid: null, priority: 0, offset: 99, rejected: 'priority 0' },
        { name: '10.0.0.4:6379', runid: 'c'.repeat(40), priority: 50, offset: 5, rejected: 'down' },
      ],
      chosen: '10.0.0.2:6379',
    });
    void b;
  });

  it('no candidate: chosen is null, and no replica at all gives an empty list', () => {
    const w = unitWorld();
    const m = w.master();
    expect(selectionNote(w.S, m, selectSlave(w.S, m))).toEqual({ master: 'mymaster', epoch: 0, replicas: [], chosen: null });
    const a = healthy(w, w.replica(m, '10.0.0.2', 6379), 100, 0, null);
    a.link.disconnected = true;
    expect(selectSlave(w.S, m)).toBeNull();
    const note = selectionNote(w.S, m, null);
    expect(note.chosen).toBeNull();
    expect(note.replicas.map((r) => r.rejected)).toEqual(['disconnected']);
  });

  it('the best candidate wins whatever its insertion order; rejected ones never do', () => {
    const w = unitWorld();
    const m = w.master();
    const worse = healthy(w, w.replica(m, '10.0.0.2', 6379), 100, 1, 'a'.repeat(40));
    const down = healthy(w, w.replica(m, '10.0.0.3', 6379), 1, 1000, 'a'.repeat(40));
    down.flags |= SRI_S_DOWN;
    const best = healthy(w, w.replica(m, '10.0.0.4', 6379), 100, 2, 'f'.repeat(40));
    expect(selectSlave(w.S, m)).toBe(best);
    void worse;
  });
});
