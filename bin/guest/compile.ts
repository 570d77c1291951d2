// A TypeScript app module, compiled once per process by esbuild (bundled with its relative imports; packages
// stay imports) into node_modules/.cache/sentinel-sim/ of the nearest folder above it that has node_modules —
// so its packages resolve as they do from the source. The guest thread then loads plain JavaScript: without
// it, tsx's loader in the guest thread answers every module resolution of the app and of its client library
// from another thread, which cost more wall time than the bare simulation of the tutorial failover. When
// esbuild is missing (the installed package) or the module is not a file, the guest registers tsx instead.
// The bundle is CommonJS when every package it imports is CommonJS (commonjs.ts): a reused guest thread can
// then evaluate the app and its packages afresh for each run (pool.ts); otherwise an ES module, as before.
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleWithImports, type Bundle } from './bundle.ts';
import { commonJsEntry } from './commonjs.ts';

/** The compiled module's file URL; `commonjs`: it is a CommonJS file whose packages are CommonJS too. */
export interface CompiledApp {
  url: string;
  commonjs: boolean;
}

const cache = new Map<string, CompiledApp | null>();

function nearestNodeModules(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) return join(d, 'node_modules');
    if (dirname(d) === d) return null;
  }
}

/** The compiled module, or null (not a .ts file, no esbuild, no node_modules above it). */
export function compiledAppModule(module: string): CompiledApp | null {
  if (!/\.(?:c|m)?ts$/.test(module)) return null;
  const file = module.startsWith('file:') ? fileURLToPath(module) : module;
  let key: string;
  try {
    key = `${file}@${statSync(file).mtimeMs}`;
  } catch {
    return null;
  }
  if (cache.has(key)) return cache.get(key)!;
  let out: CompiledApp | null = null;
  try {
    const nm = nearestNodeModules(dirname(file));
    if (nm) {
      // the entry's import.meta.url is its source's (bundled relative modules see the same)
      const define = { 'import.meta.url': JSON.stringify(pathToFileURL(file).href) };
      const dir = join(nm, '.cache', 'sentinel-sim');
      let b: Bundle | null = null;
      try {
        b = bundleWithImports(file, dir, 'app', { define, format: 'cjs' });
        if (!b.externals.every((x) => commonJsEntry(x, file) !== null)) b = null;
      } catch {
        b = null; // e.g. a top-level await: an ES module only
      }
      out = b ? { url: pathToFileURL(b.file).href, commonjs: true } : { url: pathToFileURL(bundleWithImports(file, dir, 'app', { define }).file).href, commonjs: false };
    }
  } catch {
    out = null; // esbuild absent or the module does not bundle: tsx in the guest thread reports the problem
  }
  cache.set(key, out);
  return out;
}
