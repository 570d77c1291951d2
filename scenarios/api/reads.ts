// The replies scenario reads turn into values, the same for the simulator (run.ts) and the twin (bin/real).
import type { Resp } from '../../engine/net/resp.ts';
import { ScenarioError } from './nodes.ts';

/** ROLE's first word ('master' | 'slave' | 'sentinel'). */
export function roleWord(r: Resp, node: string): string {
  if (r.t === 'array' && r.v && r.v[0] && (r.v[0].t === 'bulk' || r.v[0].t === 'simple')) return r.v[0].v ?? '';
  throw new ScenarioError(`unexpected ROLE reply from ${node}: ${JSON.stringify(r)}`);
}

/** SENTINEL get-master-addr-by-name's reply as "ip:port"; null when the Sentinel does not know the master. */
export function masterAddrOf(r: Resp, sentinel: string): string | null {
  if (r.t === 'error') throw new ScenarioError(`${sentinel}: ${r.v}`);
  if (r.t !== 'array' || r.v === null) return null;
  return r.v.map((x) => (x.t === 'bulk' || x.t === 'simple' ? x.v : String(x.v))).join(':');
}

/** The one-way links `cut(a, b)` blocks (both ways between every pair of hosts across the two sides). */
export function cutLinks(a: string[], b: string[], host: (ref: string) => string): [string, string][] {
  const ha = [...new Set(a.map(host))];
  const hb = [...new Set(b.map(host))];
  const both = ha.filter((h) => hb.includes(h));
  if (both.length > 0) throw new ScenarioError(`cut: ${both.join(', ')} is on both sides`);
  const out: [string, string][] = [];
  for (const x of ha)
    for (const y of hb) {
      out.push([x, y]);
      out.push([y, x]);
    }
  return out;
}
