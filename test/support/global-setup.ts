// Once per `vitest run` (and per project of it, vitest.config.ts): a scratch folder shared by the test files of
// this run, the same for every project (it is named after the Vitest process), removed at its end. The viewer's
// browser tests build the page into it once (test/viz/browser.ts) instead of once per file.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's scratch folder. */
    runDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const runDir = join(tmpdir(), `sentinel-sim-test-run-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  project.provide('runDir', runDir);
  return () => rmSync(runDir, { recursive: true, force: true });
}
