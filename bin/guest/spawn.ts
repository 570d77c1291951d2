// The guest worker's entry file. In the package it is the compiled dist/bin/guest/worker.js. From sources it is
// worker.ts bundled by esbuild into node_modules/.cache (its packages stay imports), so a guest thread starts
// without a TypeScript loader (tsx costs the thread most of a second; it is registered only for a .ts app).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import { COMPILED, PACKAGE_ROOT } from '../where.ts';

let entry: URL | null = null;

/** The URL a guest Worker starts from (built once per process from sources). */
export function guestWorkerUrl(): URL {
  if (entry) return entry;
  if (COMPILED) return (entry = new URL('./worker.js', import.meta.url));
  // esbuild is CommonJS (a devDependency, present wherever tsx is): loaded synchronously, from sources only
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const out = buildSync({
    entryPoints: [new URL('./worker.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]!.text;
  const dir = join(PACKAGE_ROOT, 'node_modules', '.cache', 'sentinel-sim');
  const file = join(dir, `guest-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${threadId}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  return (entry = pathToFileURL(file));
}
