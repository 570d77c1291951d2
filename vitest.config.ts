import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import SlowFirst from './test/support/sequencer.ts';

/**
 * Files that judge real time: frames per second in Chromium, and real Redis runs whose Sentinel timings are
 * compared with the simulator's bands (a Sentinel starved of CPU by the other worker for over a second logged
 * +sdown then -sdown of a killed master in CI). They run after the others, one at a time, alone on the machine.
 */
const ALONE = ['test/viz/responsive.browser.test.ts', 'test/compare/real.test.ts', 'test/real/real.test.ts', 'test/real/confirm.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/worker-setup.ts'],
    // Vitest's default is one worker fewer than the cores: on CI's 2 cores, one file at a time, while the slow
    // files mostly wait (real Sentinel timers, Chromium). Two at least; real runs get a block per worker.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: SlowFirst },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...ALONE] } },
      // one worker: Vitest runs such a project's files in a group of their own, after the others
      { extends: true, test: { name: 'alone', include: ALONE, maxWorkers: 1 } },
    ],
  },
});
