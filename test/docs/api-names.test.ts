// The code in the README and docs/ imports only names the package exports: every value in
// `import { … } from 'sentinel-sim…'` is an export of the module package.json maps that specifier to
// (dist/bin/api/x.js in the package = bin/api/x.ts in the sources). Type-only names are left to tsc.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const FILES = ['README.md', ...readdirSync(resolve(ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => `docs/${f.split(sep).join('/')}`)];
const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { exports?: Record<string, string | { default?: string }> };

/** The source module of a package specifier ('sentinel-sim/check' → bin/api/check.ts), or null if not exported. */
function sourceOf(specifier: string): string | null {
  const sub = specifier === 'sentinel-sim' ? '.' : `.${specifier.slice('sentinel-sim'.length)}`;
  const e = pkg.exports?.[sub];
  const target = typeof e === 'string' ? e : e?.default;
  if (!target) return null;
  return resolve(ROOT, target.replace(/^\.\/dist\//, './').replace(/\.js$/, '.ts'));
}

/** { specifier → value names } imported by the ```ts / ```js blocks of a Markdown file. */
function imports(markdown: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const block of markdown.matchAll(/```(?:ts|js|typescript|javascript)\n([\s\S]*?)```/g))
    for (const m of block[1]!.matchAll(/import\s*\{([^}]*)\}\s*from\s*'(sentinel-sim(?:\/[\w-]+)?)'/g)) {
      const names = out.get(m[2]!) ?? new Set<string>();
      for (const part of m[1]!.split(',')) {
        const n = part.trim();
        if (n === '' || n.startsWith('type ')) continue;
        names.add(n.split(/\s+as\s+/)[0]!.trim());
      }
      out.set(m[2]!, names);
    }
  return out;
}

describe('package names used in the documentation', () => {
  const used = new Map<string, Set<string>>();
  for (const f of FILES)
    for (const [spec, names] of imports(readFileSync(resolve(ROOT, f), 'utf8'))) {
      const all = used.get(spec) ?? new Set<string>();
      for (const n of names) all.add(n);
      used.set(spec, all);
    }

  it('the README imports from the package', () => {
    expect([...used.keys()]).toContain('sentinel-sim');
  });

  for (const [spec, names] of used)
    it(`${spec}: ${[...names].join(', ')}`, async () => {
      const src = sourceOf(spec);
      expect(src, `package.json exports no '${spec}'`).not.toBeNull();
      const mod = (await import(pathToFileURL(src!).href)) as Record<string, unknown>;
      expect([...names].filter((n) => !(n in mod))).toEqual([]);
    });
});
