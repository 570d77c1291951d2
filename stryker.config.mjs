// Mutation testing of the safety-critical engine (issue 20): `npm run mutation [-- --mutate <files>]`.
// Reports: reports/mutation/mutation.json (Stryker's default) and reports/mutation/mutation.html.
// Not part of .ci/run (a full run takes far longer than CI's budget); docs/mutation.md has the figures.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  // perTest: each mutant runs only the tests that executed its code
  coverageAnalysis: 'perTest',
  mutate: ['engine/sentinel/**/*.ts', 'engine/redis/replication/**/*.ts', 'engine/check/**/*.ts'],
  reporters: ['html', 'json', 'clear-text', 'progress'],
  // Stryker rewrites the tsconfig's extends/references with TypeScript's compiler API, which
  // TypeScript 7 no longer offers. The tests run from the sources through vite (no tsc step), so the
  // rewrite is kept out by naming a file that does not exist: Stryker then leaves tsconfig alone.
  tsconfigFile: 'no-tsconfig-rewrite.json',
  checkers: [],
  concurrency: 2,
  timeoutMS: 20_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
