// INFO replication and ROLE against real 7.0.15 output (oracle samples): same fields, same order,
// same value shapes; ROLE's element types (replication.md §14, §15).
import { readFileSync } from 'node:fs';
import { ORACLE_DIR as ORACLE } from '../../sentinel/oracle.ts';
import { describe, expect, it } from 'vitest';
import type { Resp } from '../../../engine/net/resp.ts';
import { js, linkUp, ReplWorld } from './world.ts';

const SAMPLES = ORACLE + '/samples/replication.txt';

/** The "## title" blocks of a sample file. */
function blocks(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let cur: string[] | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) {
      cur = [];
      out.set(line.slice(3).trim(), cur);
    } else if (cur && line.trim() !== '') cur.push(line.trimEnd());
  }
  return out;
}

/** "key:value" → [key, shape of the value]. */
function shape(lines: string[]): [string, string][] {
  return lines
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\r$/, ''))
    .map((l) => {
      const i = l.indexOf(':');
      const k = l.slice(0, i);
      const v = l.slice(i + 1);
      const s = /^-?\d+$/.test(v)
        ? 'int'
        : /^\d+\.\d+\.\d+\.\d+$/.test(v)
          ? 'ip'
        : /^[0-9a-f]{40}$/.test(v)
          ? 'hex40'
          : /^ip=[\d.]+,port=\d+,state=(online|wait_bgsave|send_bulk),offset=\d+,lag=\d+$/.test(v)
            ? 'replica-line'
            : v;
      return [k.replace(/^slave\d+$/, 'slave<i>'), s];
    });
}

function world() {
  const w = new ReplWorld();
  const m = w.server('m', '10.0.0.1', 17101);
  const r = w.server('r', '10.0.0.2', 17102, 'replicaof 10.0.0.1 17101\nreplica-priority 50\n');
  w.start('m', 'r');
  w.until(() => linkUp(r), '10s');
  w.client(m).q('set', 'a', '1');
  w.run(2100);
  return { w, m, r };
}

describe('INFO replication format (oracle samples)', () => {
  const sample = blocks(readFileSync(SAMPLES, 'utf8'));

  it('master and replica sections have 7.0.15 fields in 7.0.15 order', () => {
    const { w, m, r } = world();
    const mine = (n: typeof m) => (js(w.client(n).cmd('info', 'replication')) as string).split('\r\n').filter((l) => l !== '');
    const mt = mine(m);
    const rt = mine(r);
    expect(mt[0]).toBe('# Replication');
    expect(shape(mt)).toEqual(shape(sample.get('master: INFO replication')!));
    expect(shape(rt)).toEqual(shape(sample.get('replica: INFO replication')!));
    // every line ends with \r\n, and the section is what INFO (all sections) shows too
    const all = js(w.client(m).cmd('info')) as string;
    expect(all).toContain('# Replication\r\nrole:master\r\nconnected_slaves:1\r\n');
  });

  it('the master section of INFO (default sections) matches info-master.txt field for field', () => {
    const { w, m } = world();
    const text = readFileSync(ORACLE + '/samples/info-master.txt', 'utf8');
    const rest = text.slice(text.indexOf('# Replication')).split(/\r?\n/);
    const real = rest.slice(0, rest.indexOf(''));
    const ours = (js(w.client(m).cmd('info')) as string).split('\r\n\r\n').find((s) => s.startsWith('# Replication'))!.split('\r\n');
    expect(shape(ours)).toEqual(shape(real));
  });

  it('ROLE: bulk strings and integers exactly where 7.0.15 puts them', () => {
    const { w, m, r } = world();
    const mr = w.client(m).cmd('role');
    const rr = w.client(r).cmd('role');
    const types = (x: Resp): unknown => (x.t === 'array' ? x.v!.map(types) : x.t);
    expect(types(mr)).toEqual(['bulk', 'int', [['bulk', 'bulk', 'bulk']]]);
    expect(types(rr)).toEqual(['bulk', 'bulk', 'int', 'bulk', 'int']);
    const sm = sample.get('master: ROLE')!;
    const sr = sample.get('replica: ROLE')!;
    expect((js(mr) as unknown[])[0]).toBe(sm[0]);
    expect((js(rr) as unknown[])[0]).toBe(sr[0]);
    expect((js(rr) as unknown[])[3]).toBe(sr[3]);
    const off = m.repl().st.masterReplOffset;
    expect(js(mr)).toEqual(['master', off, [['10.0.0.2', '17102', String(off)]]]);
    expect(js(rr)).toEqual(['slave', '10.0.0.1', 17101, 'connected', off]);
  });

  it('a replica after a full sync: backlog first byte = sync offset + 1 (oracle: 828 after :827)', () => {
    const { r } = world();
    const side = r.repl();
    const info = r.info();
    expect(info.slave_priority).toBe('50');
    expect(Number(info.repl_backlog_first_byte_offset)).toBe(Number(info.master_repl_offset) - Number(info.repl_backlog_histlen) + 1);
    expect(side.st.replid2).toBe('0'.repeat(40));
  });
});
