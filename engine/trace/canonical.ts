// Canonical JSON: sorted object keys, no whitespace, so equal values serialise to equal bytes.

export function canonicalJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(v.toString());
    case 'object': {
      if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
      let s = '{';
      for (let i = 0; i < keys.length; i++) {
        if (i) s += ',';
        s += JSON.stringify(keys[i]) + ':' + canonicalJson(o[keys[i]!]);
      }
      return s + '}';
    }
    default:
      return 'null';
  }
}
