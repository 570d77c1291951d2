import { defineConfig } from 'vite';

// The web replay (viz/) is served and built by Vite into dist/viewer/ (shipped in the package as static files);
// engine/ is bundled for the browser as is.
export default defineConfig({
  base: './',
  build: { outDir: 'dist/viewer', emptyOutDir: true },
});
