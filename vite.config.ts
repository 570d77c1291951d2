import { defineConfig } from 'vite';

// The web replay (viz/) is served and built by Vite; engine/ is bundled for the browser as is.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true },
});
