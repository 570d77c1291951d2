// The scenario library's names and default seeds, as JSON on stdout: what the page's main thread needs of the
// library (the scenario menu, a link's default seed) without evaluating the engine there. Vite's
// `virtual:scenario-catalog` (vite.config.ts) runs this at build time: `node --import tsx viz/build/scenarioCatalog.ts`.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isScenario } from '../../scenarios/api/index.ts';

export interface CatalogEntry {
  name: string;
  /** The scenario's default seed ("1" when it names none), as the runner takes it. */
  seed: string;
}

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../scenarios');
const entries: CatalogEntry[] = [];
for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts')).sort()) {
  const m = (await import(pathToFileURL(join(dir, f)).href)) as { default?: unknown };
  if (isScenario(m.default)) entries.push({ name: m.default.name, seed: String(m.default.seed ?? 1) });
}
// the tutorial first, then by name (library.ts's order; sorted here: the page's first localeCompare costs tens of ms)
entries.sort((a, b) => (a.name === 'tutorial-failover' ? -1 : b.name === 'tutorial-failover' ? 1 : a.name.localeCompare(b.name)));
process.stdout.write(JSON.stringify(entries));
