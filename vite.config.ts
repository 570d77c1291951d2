import { defineConfig } from 'vite';

// The web replay (viz/) is served and built by Vite into dist/viewer/ (shipped in the package as static files);
// engine/ is bundled for the browser as is.
export default defineConfig({
  base: './',
  build: { outDir: 'dist/viewer', emptyOutDir: true },
  // the engine runs in a module worker (viz/app/worker.ts): scenarios and forks never block the page
  worker: { format: 'es' },
});
