// The README's own scenario ("A scenario of your own") runs as printed, with every expectation met. The
// README imports from 'sentinel-sim'; here that import points at the same API in scenarios/api/.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isScenario, runScenario, type Scenario } from '../../scenarios/api/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const API = resolve(ROOT, 'scenarios/api/index.ts');

/** The fenced block whose first line is `first`. */
function codeBlock(markdown: string, first: string): string {
  const i = markdown.indexOf('```ts\n' + first + '\n');
  if (i < 0) throw new Error(`no \`\`\`ts block starting with ${first}`);
  const start = i + '```ts\n'.length;
  return markdown.slice(start, markdown.indexOf('\n```', start) + 1);
}

describe('README scenario example', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-sim-readme-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports from the package and is the file the README runs', () => {
    const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
    const code = codeBlock(readme, '// my-failover.ts');
    expect(code).toContain("from 'sentinel-sim';");
    expect(readme).toContain('npx sentinel-sim run ./my-failover.ts');
  });

  it('runs with every expectation met and one failover', async () => {
    const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
    const code = codeBlock(readme, '// my-failover.ts').replace("from 'sentinel-sim';", `from ${JSON.stringify(API)};`);
    const file = join(dir, 'my-failover.ts');
    writeFileSync(file, code);
    const mod = (await import(pathToFileURL(file).href)) as { default: unknown };
    expect(isScenario(mod.default)).toBe(true);
    for (const seed of [1, 7]) {
      const r = runScenario(mod.default as Scenario, { seed });
      expect(r.error).toBeNull();
      expect(r.status).toBe('ok');
      expect(r.report.summary.expectations).toEqual({ passed: 2, failed: 0 });
      expect(r.report.summary.failovers).toHaveLength(1);
      expect(r.report.summary.failovers[0]!.promoted).not.toBe('127.0.0.1:6379');
      // the output the README prints for `run ./my-failover.ts` (seed 1) is this run's
      if (seed === 1) expect(readme).toContain(`trace sha256 ${r.sha256}`);
    }
  });
});
