// trace-read (engine/check/trace-read.ts): how the checkers read Sentinel events (sentinel.md §13), Sentinel
// ids, keyframe views and the notes of property runs. Each reader with what it must take and what it must skip.
import { describe, expect, it } from 'vitest';
import {
  eventInstance,
  eventMaster,
  eventWords,
  isSentinelEvent,
  isSentinelLog,
  keyframes,
  nodesOf,
  probes,
  quietStart,
  readConfig,
  sentinelIds,
  sentinelView,
  serverView,
} from '../../../engine/check/trace-read.ts';
import type { LogRecord, TraceRecord } from '../../../engine/trace/types.ts';
import { config, ev, fault, header, ID, keyframe, M, note, R1, S1, S2, S3 } from '../traces.ts';

const log = (event: string | null, line: string) => ev(1, S1, event, line) as LogRecord;
const withLine = (event: string, line: string) => ({ ...log(event, ''), line }) as LogRecord;

describe('which records are Sentinel logs and events', () => {
  it('a Sentinel log with an event is an event; a plain line is only a log; servers and other records are neither', () => {
    const plain = log(null, 'Sentinel ID is x');
    const server = { ...log('+sdown', 'master m a 1'), kind: 'server' } as TraceRecord;
    expect([isSentinelEvent(log('+sdown', 'master m a 1')), isSentinelLog(log('+sdown', 'master m a 1'))]).toEqual([true, true]);
    expect([isSentinelEvent(plain), isSentinelLog(plain)]).toEqual([false, true]);
    expect([isSentinelEvent(server), isSentinelLog(server)]).toEqual([false, false]);
    expect([isSentinelEvent(fault(1, 'kill')), isSentinelLog(note(1, 'quiet', {}))]).toEqual([false, false]);
  });
});

describe('event words, master and instance (§13.1)', () => {
  it('the words after the event type; a line not starting with it is taken whole', () => {
    expect(eventWords(log('+selected-slave', 'slave a:1 a 1 @ m b 0'))).toEqual(['slave', 'a:1', 'a', '1', '@', 'm', 'b', '0']);
    expect(eventWords(withLine('+tilt', '#tilt mode entered'))).toEqual(['#tilt', 'mode', 'entered']);
  });

  it('the master of "master <name>", of "slave|sentinel … @ <name>", of +switch-master; none otherwise', () => {
    expect(eventMaster(log('+sdown', 'master mymaster 127.0.0.1 6379'))).toBe('mymaster');
    expect(eventMaster(log('+sdown', 'master'))).toBe(null);
    expect(eventMaster(log('+sdown', 'slave a:1 a 1 @ other b 0'))).toBe('other');
    expect(eventMaster(log('+sentinel', 'sentinel abc a 1 @ third b 0'))).toBe('third');
    expect(eventMaster(log('+sdown', 'slave a:1 a 1 @'))).toBe(null);
    expect(eventMaster(log('+sdown', 'slave a:1 a 1'))).toBe(null);
    expect(eventMaster(log('+sdown', 'foo a:1 @ m b 0'))).toBe(null);
    expect(eventMaster(log('+switch-master', 'mymaster a 1 b 2'))).toBe('mymaster');
    expect(eventMaster(log('+switch-master', ''))).toBe('');
    expect(eventMaster(withLine('+switch-master', '+switch-master'))).toBe(null);
    expect(eventMaster(log('+new-epoch', '3'))).toBe(null);
    expect(eventMaster(log('+vote-for-leader', `${ID[S1]} 3`))).toBe(null);
  });

  it('the instance name of master, slave and sentinel events; none otherwise', () => {
    expect(eventInstance(log('+sdown', 'master mymaster a 1'))).toBe('mymaster');
    expect(eventInstance(log('+sdown', 'slave a:1 a 1 @ m b 0'))).toBe('a:1');
    expect(eventInstance(log('+sdown', 'sentinel abc a 1 @ m b 0'))).toBe('abc');
    expect(eventInstance(withLine('+sdown', '+sdown slave'))).toBe(null);
    expect(eventInstance(log('+new-epoch', '3'))).toBe(null);
  });
});

describe('sentinelIds', () => {
  it('from "Sentinel ID is" lines (lower case, trimmed) and keyframe views; not from servers or event lines', () => {
    const recs: TraceRecord[] = [
      ev(0, S1, null, `Sentinel ID is ${'A'.repeat(40)}  `),
      { ...ev(0, M, null, `Sentinel ID is ${'b'.repeat(40)}`), kind: 'server' } as TraceRecord,
      ev(0, S3, '+monitor', `Sentinel ID is ${'c'.repeat(40)}`),
      ev(0, S3, null, `The Sentinel ID is ${'d'.repeat(40)}`),
      keyframe(1, { [S2]: { currentEpoch: 0 } }, { [R1]: { role: 'slave', offset: 1 } }),
    ];
    const kf = recs[4] as TraceRecord & { nodes: Record<string, { view: { myid: string } }> };
    kf.nodes[S2]!.view.myid = 'E'.repeat(40);
    expect([...sentinelIds(recs)]).toEqual([
      ['a'.repeat(40), S1],
      ['e'.repeat(40), S2],
    ]);
  });

  it('a keyframe view without a myid adds nothing', () => {
    const kf = keyframe(1, { [S2]: { currentEpoch: 0 } }) as TraceRecord & { nodes: Record<string, { view: { myid: string } }> };
    kf.nodes[S2]!.view.myid = '';
    expect(sentinelIds([kf]).size).toBe(0);
  });
});

describe('keyframe views', () => {
  const view = { myid: 'x', currentEpoch: 0, tilt: false, masters: [] };

  it('a live Sentinel\'s view needs a numeric current epoch and a masters list', () => {
    expect(sentinelView({ state: 'running', hostUp: true, view })).toBe(view);
    expect(sentinelView({ view })).toBe(view);
    expect(sentinelView({ state: 'stopped', hostUp: true, view })).toBe(null);
    expect(sentinelView({ state: 'running', hostUp: false, view })).toBe(null);
    expect(sentinelView({ state: 'running', hostUp: true })).toBe(null);
    expect(sentinelView(null)).toBe(null);
    expect(sentinelView(undefined)).toBe(null);
    expect(sentinelView({ view: { ...view, currentEpoch: '0' } })).toBe(null);
    expect(sentinelView({ view: { ...view, masters: {} } })).toBe(null);
    expect(sentinelView({ view: { role: 'master', offset: 0 } })).toBe(null);
  });

  it('a live server\'s view needs a role', () => {
    const v = { role: 'slave', offset: 5 };
    expect(serverView({ state: 'running', hostUp: true, view: v })).toBe(v);
    expect(serverView({ view: v })).toBe(v);
    expect(serverView({ state: 'stopped', view: v })).toBe(null);
    expect(serverView({ hostUp: false, view: v })).toBe(null);
    expect(serverView({ state: 'running' })).toBe(null);
    expect(serverView(null)).toBe(null);
    expect(serverView({ view: { role: 1 } })).toBe(null);
    expect(serverView({ view })).toBe(null);
  });

  it('keyframes are the keyframe records, in order', () => {
    const a = keyframe(1, {});
    const b = keyframe(2, {});
    expect(keyframes([note(0, 'quiet', {}), a, ev(1.5, S1, null, 'x'), b])).toEqual([a, b]);
  });
});

describe('notes of property runs', () => {
  it('the configuration: the one given, else the first check-config note, else none', () => {
    const other = { ...config, quorum: 3 };
    const recs = [note(0, 'check-config', other), note(1, 'check-config', { ...config, quorum: 4 }), note(1, 'quiet', {})];
    expect(readConfig({ header, records: recs, config })).toBe(config);
    expect(readConfig({ header, records: recs })).toEqual(other);
    expect(readConfig({ header, records: [note(1, 'quiet', config)] })).toBe(null);
  });

  it('the quiet period begins at the first quiet note', () => {
    expect(quietStart([note(1, 'probe', {}), note(5, 'quiet', {}), note(7, 'quiet', {})])).toBe(5e6);
    expect(quietStart([note(1, 'probe', {})])).toBe(null);
  });

  it('probes: every probe note with its time and data', () => {
    const d1 = { sentinels: {}, servers: {} };
    const d2 = { sentinels: { [S1]: M }, servers: {} };
    expect(probes([note(1, 'probe', d1), note(2, 'quiet', d2), note(3, 'probe', d2)])).toEqual([
      { t: 1e6, data: d1 },
      { t: 3e6, data: d2 },
    ]);
  });
});

describe('nodesOf', () => {
  it('the header\'s nodes of a kind, in its order', () => {
    expect(nodesOf({ header, records: [] }, 'server')).toEqual([M, R1, '127.0.0.1:6381']);
    expect(nodesOf({ header, records: [] }, 'sentinel')).toEqual([S1, S2, S3]);
  });

  it('without a header (or none of that kind in it), the nodes that logged as that kind, sorted', () => {
    const recs = [ev(1, S3, null, 'a'), ev(2, S1, '+sdown', 'master m a 1'), ev(3, S3, null, 'b'), { ...ev(4, M, null, 'x'), kind: 'server' } as TraceRecord, note(5, 'quiet', {})];
    expect(nodesOf({ header: null, records: recs }, 'sentinel')).toEqual([S1, S3]);
    expect(nodesOf({ header: null, records: recs }, 'server')).toEqual([M]);
    const noServers = { ...header, topology: { ...header.topology, nodes: header.topology.nodes.filter((n) => n.kind !== 'server') } };
    expect(nodesOf({ header: noServers, records: recs }, 'server')).toEqual([M]);
  });
});
