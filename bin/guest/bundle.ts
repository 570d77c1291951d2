// esbuild (CommonJS, loaded synchronously) bundles an entry with its relative imports, packages left as
// imports, into `<dir>/<prefix>-<hash>.<mjs|cjs>`, written once and atomically (a temp file renamed: parallel
// processes and threads may race). Used for the guest worker from sources and for a user's TypeScript app
// (as CommonJS, so that a reused guest thread can evaluate it afresh: compile.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

export interface BundleOptions {
  define?: Record<string, string>;
  /** 'esm' (default) or 'cjs': ES module syntax becomes require() calls, in strict mode as the ES module was. */
  format?: 'esm' | 'cjs';
}

export interface Bundle {
  file: string;
  /** The package specifiers the bundle imports (left as imports), builtins included. */
  externals: string[];
}

/** The bundled file and what it imports; throws when esbuild is missing or the entry does not bundle. */
export function bundleWithImports(entryFile: string, dir: string, prefix: string, opts: BundleOptions = {}): Bundle {
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const format = opts.format ?? 'esm';
  const out = buildSync({
    entryPoints: [entryFile],
    bundle: true,
    platform: 'node',
    format,
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
    metafile: true,
    define: opts.define,
    // an ES module is strict code; esbuild does not say so in a CommonJS bundle
    ...(format === 'cjs' ? { banner: { js: "'use strict';" } } : {}),
  });
  const code = out.outputFiles[0]!.text;
  const externals = new Set<string>();
  for (const input of Object.values(out.metafile!.inputs)) for (const i of input.imports) if (i.external) externals.add(i.path);
  const ext = format === 'cjs' ? 'cjs' : 'mjs';
  const file = join(dir, `${prefix}-${createHash('sha256').update(entryFile).update(code).digest('hex').slice(0, 16)}.${ext}`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${threadId}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  return { file, externals: [...externals] };
}

/** The bundled file's path (ES module); throws when esbuild is missing or the entry does not bundle. */
export function bundleToCache(entryFile: string, dir: string, prefix: string, define?: Record<string, string>): string {
  return bundleWithImports(entryFile, dir, prefix, { define }).file;
}
