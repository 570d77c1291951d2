import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const ROOT = dirname(fileURLToPath(import.meta.url));

/**
 * `virtual:scenario-catalog`: the library's scenario names and default seeds, read by running the scenarios in
 * Node at build time (viz/build/scenarioCatalog.ts) — so the page's main thread lists them without evaluating
 * the engine (it runs in workers, and is loaded on demand to export a branch).
 */
function scenarioCatalog(): Plugin {
  const id = 'virtual:scenario-catalog';
  return {
    name: 'scenario-catalog',
    resolveId: (x) => (x === id ? `\0${id}` : undefined),
    load(x) {
      if (x !== `\0${id}`) return undefined;
      const dir = join(ROOT, 'scenarios');
      for (const f of readdirSync(dir)) if (f.endsWith('.ts')) this.addWatchFile(join(dir, f));
      const json = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'viz/build/scenarioCatalog.ts')], { cwd: ROOT, encoding: 'utf8' });
      return `export default ${json};`;
    },
  };
}

// The web replay (viz/) is served and built by Vite into dist/viewer/ (shipped in the package as static files);
// engine/ is bundled for the browser as is.
export default defineConfig({
  base: './',
  plugins: [scenarioCatalog()],
  build: { outDir: 'dist/viewer', emptyOutDir: true },
  // the engine runs in a module worker (viz/app/worker.ts): scenarios and forks never block the page
  worker: { format: 'es' },
});
