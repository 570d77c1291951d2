// The static import graph of engine/: replication/, scripting/ and tracking/ build on the server core
// (server/) and must not be in an import cycle with it (the core reaches replication and scripting
// through server/replication-port.ts and server/scripting-port.ts, which the process factory fills in).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ENGINE = resolve(__dirname, '../../engine');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:([^'";]*?)\s+from\s+)?['"](\.[^'"]+)['"]/gm;

/** Relative imports of a file; `typesToo` keeps `import type` and all-`type` named imports. */
function importsOf(file: string, typesToo: boolean): string[] {
  const out: string[] = [];
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    if (!typesToo) {
      if (m[1]) continue;
      const clause = m[2]?.trim() ?? '';
      if (clause.startsWith('{')) {
        const names = clause.slice(1, clause.indexOf('}')).split(',').map((n) => n.trim()).filter(Boolean);
        if (names.length > 0 && names.every((n) => n.startsWith('type '))) continue;
      }
    }
    out.push(resolve(dirname(file), m[3]!));
  }
  return out;
}

/** Strongly connected components with more than one file (Tarjan). */
function cycles(typesToo: boolean): string[][] {
  const files = sourceFiles(ENGINE);
  const known = new Set(files);
  const edges = new Map(files.map((f) => [f, importsOf(f, typesToo).filter((t) => known.has(t))]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(relative(ENGINE, w));
    } while (w !== v);
    if (scc.length > 1) out.push(scc.sort());
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return out;
}

describe('import cycles in engine/', () => {
  it.each([
    ['value imports', false],
    ['type imports too', true],
  ])('no cycle holds both redis/replication and redis/server files (%s)', (_what, typesToo) => {
    const mixed = cycles(typesToo as boolean).filter(
      (c) => c.some((f) => f.startsWith('redis/replication/')) && c.some((f) => f.startsWith('redis/server/')),
    );
    expect(mixed).toEqual([]);
  });

  it('every value-import cycle stays inside one folder (scripting/ and tracking/ reach the core through server/scripting-port.ts and server/server-of.ts)', () => {
    const spanning = cycles(false).filter((c) => new Set(c.map((f) => dirname(f))).size > 1);
    expect(spanning).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself)', () => {
    // server.ts and boot.ts import each other (bootServer / RedisServer): a known two-way pair
    const all = cycles(true);
    expect(all.some((c) => c.includes('redis/server/server.ts') && c.includes('redis/server/boot.ts'))).toBe(true);
  });
});
