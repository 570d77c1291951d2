// Canonical JSON: sorted object keys, no whitespace, so equal values serialise to equal bytes.

/** One list of object keys (in the order Object.keys gave them), sorted, with each key's JSON text. */
interface Shape {
  keys: string[];
  sorted: string[];
  /** `"key":` for the first field written, `,"key":` for the others (sorted order). */
  head: string[];
  next: string[];
}

/** Key lists seen before, by first key. */
const shapes = new Map<string, Shape[]>();
let shapeCount = 0;

function newShape(keys: string[]): Shape {
  let i = 1;
  while (i < keys.length && keys[i - 1]! < keys[i]!) i++;
  const sorted = i >= keys.length ? keys : keys.slice().sort();
  const head = sorted.map((k) => `${JSON.stringify(k)}:`);
  return { keys, sorted, head, next: head.map((h) => `,${h}`) };
}

/**
 * The shape of an object's keys. Records are built from a few object shapes: a list seen before gets its
 * sorted order and quoted keys back (no sort, no key quoting, no allocation per record: sorting was the
 * largest allocation of a property run).
 */
function shapeOf(keys: string[]): Shape {
  const n = keys.length;
  const first = keys[0]!;
  let seen = shapes.get(first);
  if (seen !== undefined)
    next: for (let j = 0; j < seen.length; j++) {
      const s = seen[j]!;
      if (s.keys.length !== n) continue;
      for (let k = 0; k < n; k++) if (s.keys[k] !== keys[k]) continue next;
      return s;
    }
  const shape = newShape(keys);
  if (shapeCount < 4096 && (seen === undefined || seen.length < 16)) {
    if (seen === undefined) shapes.set(first, (seen = []));
    seen.push(shape);
    shapeCount++;
  }
  return shape;
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
      const keys = Object.keys(o);
      if (keys.length === 0) return '{}';
      const shape = shapeOf(keys);
      const sorted = shape.sorted;
      let s = '{';
      let first = true;
      for (let i = 0; i < sorted.length; i++) {
        const x = o[sorted[i]!];
        if (x === undefined) continue;
        s += (first ? shape.head[i]! : shape.next[i]!) + canonicalJson(x);
        first = false;
      }
      return s + '}';
    }
    default:
      return 'null';
  }
}
