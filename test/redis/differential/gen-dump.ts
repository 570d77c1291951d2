// The `dump` differential group (issue 17 item 6): keys of every type and encoding built step by step,
// then DUMP (payload bytes compared exactly), RESTORE of those values under other names and options,
// RESTORE of payloads the generator serializes itself (so the real server must accept the simulator's
// bytes), and every RESTORE error. DUMP is only sent where Redis's bytes are deterministic: never for a
// hashtable-encoded set or hash (Redis walks a dict seeded at random), and lists only built by RPUSH
// (quicklist nodes depend on the push history; the simulator packs as RPUSH does).
import { strToBytes, bytesToStr } from '../../../engine/redis/persistence/rdb/bytes.ts';
import { createDumpPayload } from '../../../engine/redis/persistence/rdb/payload.ts';
import { DEFAULT_SAVE_OPTIONS } from '../../../engine/redis/persistence/rdb/primitives.ts';
import type { RedisValue } from '../../../engine/redis/keyspace/values.ts';
import { ZSet } from '../../../engine/redis/keyspace/zset.ts';
import { Gen, STRINGS, type Step } from './gen-base.ts';

const exact = (argv: string[], conn = 0): Step => ({ conn, argv });

/** Text LZF compresses (repeats), text it cannot (a mixing sequence), and the int / short corners. */
function value(g: Gen): string {
  const r = g.next();
  if (r < 0.4) return g.pick(STRINGS);
  if (r < 0.6) return g.pick(['ab', 'xyz', 'hello ', '0123456789']).repeat(g.int(3, 400));
  if (r < 0.8) {
    let x = g.int(1, 1 << 30);
    let s = '';
    for (let i = g.int(15, 300); i > 0; i--) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      s += String.fromCharCode(32 + ((x >>> 16) % 95));
    }
    return s;
  }
  return String(g.pick([0, 12, 13, 127, 128, -1, -4096, 4095, 4096, -32768, 32767, 32768, 8388607, -8388609, 2147483647, -2147483649]));
}

/** Commands that build key `k` with one type and encoding; `dumpable` when Redis's bytes are fixed. */
function build(g: Gen, k: string): { cmds: string[][]; dumpable: boolean } {
  switch (g.int(0, 10)) {
    case 10: {
      // streams: explicit IDs, same-field and other-field entries, tombstones, trimming (no groups:
      // their delivery times are each side's clock)
      const cmds: string[][] = [];
      let ms = g.int(1, 1000);
      for (let i = g.int(1, g.chance(0.3) ? 400 : 20); i > 0; i--) {
        ms += g.int(0, 3);
        const fields = g.chance(0.7) ? ['f', value(g).slice(0, 40), 'g', String(i)] : [g.member(), value(g).slice(0, 30)];
        cmds.push(['xadd', k, `${ms}-${i}`, ...fields]);
      }
      if (g.chance(0.5)) cmds.push(['xdel', k, `${ms}-1`]);
      if (g.chance(0.3)) cmds.push(['xtrim', k, 'maxlen', String(g.int(0, 50))]);
      return { cmds, dumpable: true };
    }
    case 0:
    case 1:
      return { cmds: [['set', k, value(g)]], dumpable: true };
    case 2: {
      // RPUSH in batches: one node, or many 8 kB nodes
      const cmds: string[][] = [];
      for (let b = g.int(1, g.chance(0.3) ? 12 : 3); b > 0; b--) cmds.push(['rpush', k, ...Array.from({ length: g.int(1, 40) }, () => value(g))]);
      return { cmds, dumpable: true };
    }
    case 3:
      // a short LPUSH list stays in one node
      return { cmds: [['lpush', k, ...Array.from({ length: g.int(1, 6) }, () => g.pick(STRINGS))]], dumpable: true };
    case 4: {
      // intsets of 16, 32 and 64-bit members (up to 512), or past 512 / with a non-integer: hashtable
      const width = g.pick([100, 40000, 3000000000, 9000000000000000000]);
      const n = g.int(1, g.chance(0.2) ? 600 : 30);
      const m = Array.from({ length: n }, (_, i) => String(g.chance(0.5) ? -i * 7 : (i * width) % 9223372036854775807));
      const ht = g.chance(0.2);
      return { cmds: [['sadd', k, ...m, ...(ht ? ['x'] : [])]], dumpable: n <= 512 && !ht };
    }
    case 5:
    case 6: {
      const n = g.int(1, g.chance(0.2) ? 600 : 40);
      const long = g.chance(0.15);
      const args: string[] = [];
      for (let i = 0; i < n; i++) args.push(g.chance(0.5) ? `f${i}` : String(i), long && i === 0 ? 'v'.repeat(65) : value(g).slice(0, 64));
      return { cmds: [['hset', k, ...args]], dumpable: n <= 512 && !long };
    }
    default: {
      const n = g.int(1, g.chance(0.3) ? 300 : 60);
      const args: string[] = [];
      for (let i = 0; i < n; i++) args.push(g.score(0), g.chance(0.1) ? 'm'.repeat(g.int(60, 70)) + i : `m${g.int(0, 400)}`);
      return { cmds: [['zadd', k, ...args]], dumpable: true };
    }
  }
}

/** A value the generator serializes itself (deterministic encodings only). */
function ownValue(g: Gen): RedisValue {
  switch (g.int(0, 4)) {
    case 0:
      return { type: 'string', v: value(g) };
    case 1:
      return { type: 'list', v: Array.from({ length: g.int(1, 300) }, () => value(g)) };
    case 2:
      return { type: 'set', v: new Set(Array.from({ length: g.int(1, 50) }, (_, i) => String(i * g.pick([1, 70000, 5000000000])))) };
    case 3:
      return { type: 'hash', v: new Map(Array.from({ length: g.int(1, 50) }, (_, i) => [`f${i}`, value(g).slice(0, 60)] as [string, string])) };
    default: {
      const z = new ZSet(g.chance(0.5) ? 'listpack' : 'skiplist');
      for (let i = g.int(1, 200); i > 0; i--) {
        const s = g.score(0);
        z.set(`m${g.int(0, 999)}`, s.endsWith('inf') ? (s.startsWith('-') ? -Infinity : Infinity) : Number(s));
      }
      return { type: 'zset', v: z };
    }
  }
}

/** Reads that show a restored value whatever its encoding (sorted where Redis's order is a dict's). */
function reads(k: string): string[][] {
  return [['type', k], ['object', 'encoding', k], ['pttl', k]];
}

function corrupt(g: Gen, payload: string): string {
  const b = strToBytes(payload);
  switch (g.int(0, 3)) {
    case 0:
      b[g.int(0, b.length - 1)] ^= 1 << g.int(0, 7); // checksum mismatch
      return bytesToStr(b);
    case 1:
      return payload.slice(0, g.int(0, 9)); // shorter than the footer
    case 2:
      b[b.length - 10] = 11; // RDB version 11
      return bytesToStr(b);
    default:
      return payload + 'x';
  }
}

export function dumpSequence(seed: string, n: number): Step[] {
  const g = new Gen(`${seed}/dump`, ['k1', 'k2', 'k3']);
  const out: Step[] = [exact(['flushall'])];
  while (out.length < n) {
    const r = g.next();
    const k = g.pick(['k1', 'k2', 'k3']);
    if (r < 0.55) {
      const { cmds, dumpable } = build(g, k);
      out.push(exact(['del', k]), ...cmds.map((c) => exact(c)), exact(['object', 'encoding', k]));
      if (dumpable) out.push(exact(['dump', k]));
      if (g.chance(0.3)) out.push(exact(['expire', k, String(g.int(1000, 100000))]));
    } else if (r < 0.75) {
      const v = ownValue(g);
      const payload = bytesToStr(createDumpPayload(v, DEFAULT_SAVE_OPTIONS));
      const opts = g.pick([[], ['REPLACE'], ['REPLACE', 'IDLETIME', '10'], ['REPLACE', 'FREQ', '5'], ['replace', 'absttl']]);
      const ttl = opts.includes('absttl') ? g.pick(['0', '1', String((g.nowSec + 100000) * 1000)]) : g.pick(['0', '0', String(g.int(100000, 900000))]);
      // without REPLACE the key must be free (a BUSYKEY here would leave a dict-ordered value to DUMP)
      if (!opts.some((o) => o.toLowerCase() === 'replace')) out.push(exact(['del', k]));
      out.push(exact(['restore', k, ttl, payload, ...opts]), ...reads(k).map((a) => exact(a)));
      if (v.type !== 'set' || v.v.size <= 512) out.push(exact(['dump', k]));
    } else if (r < 0.9) {
      // RESTORE errors: busy key, bad TTL, bad options, corrupt payloads, bad data with a valid CRC
      const payload = bytesToStr(createDumpPayload({ type: 'string', v: value(g) }, DEFAULT_SAVE_OPTIONS));
      const bad = g.pick([
        ['restore', k, '0', payload],
        ['restore', k, '-1', payload, 'REPLACE'],
        ['restore', k, 'abc', payload, 'REPLACE'],
        ['restore', k, '0', payload, 'REPLACE', 'FREQ', '300'],
        ['restore', k, '0', payload, 'REPLACE', 'IDLETIME', '-1'],
        ['restore', k, '0', payload, 'REPLACE', 'IDLETIME', '1', 'FREQ', '1'],
        ['restore', k, '0', payload, 'REPLACE', 'nope'],
        ['restore', k, '0', corrupt(g, payload), 'REPLACE'],
        ['restore', k, '0', bytesToStr(createDumpPayload({ type: 'string', v: 'x' }, DEFAULT_SAVE_OPTIONS)).replace(/^\u0000/, '\u0063'), 'REPLACE'],
        ['restore', k, '0', '', 'REPLACE'],
        ['dump', 'nokey'],
        ['dump'],
        ['restore', k, '0'],
      ]);
      out.push(exact(bad));
    } else {
      // DUMP one key, RESTORE it under another name with every option the real side accepts
      const other = g.pick(['k1', 'k2', 'k3'].filter((x) => x !== k));
      out.push(exact(['set', k, value(g)]), exact(['dump', k]), exact(['copy', k, other, 'replace']), exact(['dump', other]), exact(['get', other]));
    }
  }
  out.push({ conn: 0, argv: [], kind: 'dump' });
  return out;
}
