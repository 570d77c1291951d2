// esbuild (CommonJS, loaded synchronously) bundles an entry with its relative imports, packages left as
// imports, into `<dir>/<prefix>-<hash>.mjs`, written once and atomically (a temp file renamed: parallel
// processes and threads may race). Used for the guest worker from sources and for a user's TypeScript app.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** The bundled file's path; throws when esbuild is missing or the entry does not bundle. */
export function bundleToCache(entryFile: string, dir: string, prefix: string, define?: Record<string, string>): string {
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const out = buildSync({
    entryPoints: [entryFile],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
    define,
  });
  const code = out.outputFiles[0]!.text;
  const file = join(dir, `${prefix}-${createHash('sha256').update(entryFile).update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${threadId}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  return file;
}
