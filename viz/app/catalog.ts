// The scenario library as the page's main thread knows it: names and default seeds only, read at build time
// (virtual:scenario-catalog). The scenarios themselves, and the engine, are evaluated in the workers that run
// them (worker.ts) and, on demand, where a branch is exported (branchExport.ts): never at the page's start.
import catalog from 'virtual:scenario-catalog';

export interface CatalogEntry {
  name: string;
  seed: string;
}

/** Every library scenario, the tutorial first, then by name (as library.ts lists them; sorted at build time). */
export function catalogScenarios(): CatalogEntry[] {
  return catalog;
}

export function catalogEntry(name: string): CatalogEntry | undefined {
  return catalog.find((s) => s.name === name);
}
