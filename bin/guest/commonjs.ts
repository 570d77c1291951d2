// Whether a package an app imports can be loaded with require() exactly as import() would load it — a
// CommonJS file, the same one for both (no "import" condition of its "exports" choosing another build). Only
// then can a reused guest thread evaluate it afresh for each run (pool.ts): require()'s cache can be emptied,
// the ES module map cannot.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';

function packageJsonOf(file: string): { type?: string; exports?: unknown } | null {
  for (let d = dirname(file); ; d = dirname(d)) {
    const pj = join(d, 'package.json');
    if (existsSync(pj)) {
      try {
        return JSON.parse(readFileSync(pj, 'utf8')) as { type?: string; exports?: unknown };
      } catch {
        return {};
      }
    }
    if (dirname(d) === d) return null;
  }
}

/** A .js/.cjs/.json/.node file require() loads as import() would (not .mjs, not in a "type": "module" package). */
export function isCommonJsFile(file: string): boolean {
  if (file.endsWith('.mjs')) return false;
  return !(file.endsWith('.js') && packageJsonOf(file)?.type === 'module');
}

/** The CommonJS file `spec` names from `fromFile` (a builtin: its name), or null when import() would load an ES module or another file. */
export function commonJsEntry(spec: string, fromFile: string): string | null {
  if (isBuiltin(spec)) return spec;
  let file: string;
  try {
    file = createRequire(fromFile).resolve(spec);
  } catch {
    return null;
  }
  if (!isCommonJsFile(file)) return null;
  const pj = packageJsonOf(file);
  // a conditional "exports" with an "import" branch may give import() another file than require()
  if (pj?.exports !== undefined && JSON.stringify(pj.exports).includes('"import"')) return null;
  return file;
}
