// coverage (engine/check/coverage.ts): what one run reached (Sentinel events, fault kinds), the sums over
// runs, and the summary lines (headline events always, then other events, then fault kinds).
import { describe, expect, it } from 'vitest';
import { Coverage, HEADLINE_EVENTS, runCoverage } from '../../../engine/check/coverage.ts';
import type { TraceRecord } from '../../../engine/trace/types.ts';
import { ev, fault, note, R1, S1, S2 } from '../traces.ts';

describe('runCoverage', () => {
  it('each Sentinel event and fault kind once, sorted; plain lines, server logs and notes are not events', () => {
    const server = { ...ev(1, R1, '+sdown', 'x'), kind: 'server' } as TraceRecord;
    const recs = [
      ev(1, S1, '+sdown', 'master mymaster 127.0.0.1 6379'),
      ev(2, S2, '+sdown', 'master mymaster 127.0.0.1 6379'),
      ev(3, S1, '+odown', 'master mymaster 127.0.0.1 6379 #quorum 2/2'),
      ev(3, S1, null, 'Sentinel ID is x'),
      server,
      fault(4, 'kill', R1),
      fault(5, 'kill', S1),
      fault(6, 'partition'),
      note(7, 'quiet', {}),
    ];
    expect(runCoverage(recs)).toEqual(['+odown', '+sdown', 'fault:kill', 'fault:partition']);
    expect(runCoverage([])).toEqual([]);
  });
});

describe('Coverage', () => {
  it('counts runs per event over added and merged runs', () => {
    const c = new Coverage();
    c.add(['+sdown', '+odown']);
    c.add(['+sdown']);
    c.merge({ total: 3, runs: { '+sdown': 2, '+tilt': 1 } });
    expect(c.total).toBe(5);
    expect(c.toJSON()).toEqual({ total: 5, runs: { '+odown': 1, '+sdown': 4, '+tilt': 1 } });
    expect(Object.keys(c.toJSON().runs)).toEqual(['+odown', '+sdown', '+tilt']);
  });

  it('lines: a header, every headline event in order (0 when never reached), then other events, then fault kinds, each sorted', () => {
    const c = new Coverage();
    c.add(['+sdown', '+odown', 'fault:kill', '+reboot', '+dup-sentinel']);
    c.add(['+sdown', 'fault:block']);
    c.add(['+sdown']);
    const row = (e: string, n: number, p: string) => `${e.padEnd(34)} ${String(n).padStart(7)} ${p.padStart(6)}`;
    const runs: Record<string, number> = { '+sdown': 3, '+odown': 1 };
    const pct = (n: number) => `${Math.round((100 * n) / 3)} %`;
    expect(c.lines()).toEqual([
      `${'event (runs reaching it)'.padEnd(34)}    runs ${'of all'}`,
      ...HEADLINE_EVENTS.map((e) => row(e, runs[e] ?? 0, pct(runs[e] ?? 0))),
      row('+dup-sentinel', 1, '33 %'),
      row('+reboot', 1, '33 %'),
      row('fault:block', 1, '33 %'),
      row('fault:kill', 1, '33 %'),
    ]);
    expect(c.lines()[1]).toBe('+sdown                                   3  100 %');
    expect(c.lines()[2]).toBe('+odown                                   1   33 %');
    expect(new Coverage().lines()[1]).toBe('+sdown                                   0      -');
  });

  it('the headline events: detection, election, failover ends and aborts, config propagation, TILT', () => {
    expect(HEADLINE_EVENTS).toEqual([
      '+sdown',
      '+odown',
      '+try-failover',
      '+elected-leader',
      '-failover-abort-not-elected',
      '-failover-abort-no-good-slave',
      '-failover-abort-slave-timeout',
      '+promoted-slave',
      '+failover-end',
      '+failover-end-for-timeout',
      '+switch-master',
      '+config-update-from',
      '+convert-to-slave',
      '+fix-slave-config',
      '+tilt',
      '-tilt',
    ]);
  });
});
