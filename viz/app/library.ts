// The scenario library bundled into the page (scenarios/*.ts and the config files they read).
import { isScenario, type Scenario } from '../../scenarios/api/index.ts';

const modules = import.meta.glob('../../scenarios/*.ts', { eager: true }) as Record<string, { default?: unknown }>;
const files = import.meta.glob(['../../scenarios/**/*.conf', '../../scenarios/**/*.txt'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export function libraryScenarios(): Scenario[] {
  return Object.values(modules)
    .map((m) => m.default)
    .filter(isScenario)
    .sort((a, b) => (a.name === 'tutorial-failover' ? -1 : b.name === 'tutorial-failover' ? 1 : a.name.localeCompare(b.name)));
}

export function findScenario(name: string): Scenario | undefined {
  return libraryScenarios().find((s) => s.name === name);
}

/** fromConfigFiles paths are relative to the scenario file, i.e. to scenarios/. */
export function readBundledFile(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  const key = `../../scenarios/${parts.join('/')}`;
  const text = files[key];
  if (text === undefined) throw new Error(`Fatal error, can't open config file '${path}': No such file or directory`);
  return text;
}
