// How ACL replies are compared (gen-acl.ts): Redis walks its command dict in an order set by a
// per-process hash seed, so the single commands of a rules description (+get +set …) and the names
// of ACL CAT <category> are compared as sorted sets, over the commands both sides know (the
// simulator does not have every 7.0.15 command yet); ACL LOG's age and client-info are each
// side's own (times, ports, ids) and are replaced by "~"; GENPASS is random: its length is compared.
import { aclLookup } from '../../../engine/redis/acl/universe.ts';
import type { Rep } from './reply.ts';

/** "-@all +@read +set +get" → the category part as is, the single commands sorted. */
function rulesText(s: string): string {
  return s.replace(/(?:[+-][a-z_|0-9-]+(?: |$))+/g, (run) => {
    // (a command the simulator does not have yet is left out on both sides)
    const toks = run.trim().split(' ').filter((t) => aclLookup(t.slice(1).split('|')[0]!) !== null).sort();
    return toks.join(' ') + (run.endsWith(' ') ? ' ' : '');
  });
}

function mapRules(r: Rep): Rep {
  if (typeof r === 'string') return r.startsWith('$') ? rulesText(r) : r;
  return r.map(mapRules);
}

export function normaliseAcl(argv: string[], r: Rep): Rep {
  const sub = argv[1]?.toLowerCase();
  if (!Array.isArray(r)) {
    if (sub === 'genpass' && r.startsWith('$')) return `$<${r.length - 1} hex chars>`;
    return r;
  }
  if (sub === 'list' || sub === 'getuser') return mapRules(r);
  if (sub === 'cat' && argv.length === 3) return (r as string[]).filter((n) => aclLookup(n.slice(1)) !== null).sort();
  if (sub === 'log') {
    return r.map((e) => {
      if (!Array.isArray(e)) return e;
      return e.map((x, i) => (i > 0 && (e[i - 1] === '$age-seconds' || e[i - 1] === '$client-info') ? '~' : x));
    });
  }
  return r;
}
