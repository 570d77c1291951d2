// Canonical JSON: sorted object keys, no whitespace, so equal values serialise to equal bytes.

/** Quoted object keys: records reuse a small set of field names. */
const quotedKeys = new Map<string, string>();

function quoteKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quotedKeys.size < 10_000) quotedKeys.set(k, q);
  }
  return q;
}

/** Key lists seen before (in the order Object.keys gave them), by first key, with their sorted order. */
const shapes = new Map<string, { keys: string[]; sorted: string[] }[]>();
let shapeCount = 0;

/**
 * The keys in sorted order. Records are built from a few object shapes: a list already in order is used as
 * is, a list seen before gets its sorted copy back (no sort, no allocation per record: sorting was the largest
 * allocation of a property run).
 */
function sortedKeys(keys: string[]): string[] {
  const n = keys.length;
  let i = 1;
  while (i < n && keys[i - 1]! < keys[i]!) i++;
  if (i >= n) return keys;
  const first = keys[0]!;
  let seen = shapes.get(first);
  if (seen !== undefined)
    next: for (let j = 0; j < seen.length; j++) {
      const s = seen[j]!;
      if (s.keys.length !== n) continue;
      for (let k = 0; k < n; k++) if (s.keys[k] !== keys[k]) continue next;
      return s.sorted;
    }
  const sorted = keys.slice().sort();
  if (shapeCount < 4096 && (seen === undefined || seen.length < 16)) {
    if (seen === undefined) shapes.set(first, (seen = []));
    seen.push({ keys, sorted });
    shapeCount++;
  }
  return sorted;
}

export function canonicalJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'number':
      // String(n) is JSON's spelling of every finite number (-0 → "0", 1e21 → "1e+21")
      return Number.isFinite(v) ? String(v) : 'null';
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(v.toString());
    case 'object': {
      if (Array.isArray(v)) {
        let s = '[';
        for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + canonicalJson(v[i]);
        return s + ']';
      }
      const o = v as Record<string, unknown>;
      const keys = sortedKeys(Object.keys(o));
      let s = '{';
      let first = true;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const x = o[k];
        if (x === undefined) continue;
        s += (first ? '' : ',') + quoteKey(k) + ':' + canonicalJson(x);
        first = false;
      }
      return s + '}';
    }
    default:
      return 'null';
  }
}
