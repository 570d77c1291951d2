/// <reference types="vite/client" />

/** The scenario library's names and default seeds, read at build time (vite.config.ts, viz/build/scenarioCatalog.ts). */
declare module 'virtual:scenario-catalog' {
  const catalog: { name: string; seed: string }[];
  export default catalog;
}
