/** Access to the oracle sentinel.conf files copied (unchanged) under fixtures/. */
import { readdirSync, readFileSync } from 'node:fs';

const BASE = new URL('./fixtures/', import.meta.url);

export function readFixture(path: string): string {
  return readFileSync(new URL(path, BASE), 'utf8');
}

/** Scenario directories holding files rewritten by real redis-sentinel 7.0.15. */
export const RESULT_SCENARIOS = ['seed-exact', 'manual-failover', 'priority0', 'quorum2-3replicas'];

/** All fixture files as "dir/file" paths. */
export function allFixtures(): string[] {
  return ['seed', ...RESULT_SCENARIOS].flatMap((dir) =>
    readdirSync(new URL(`${dir}/`, BASE))
      .filter((f) => f.endsWith('.conf'))
      .sort()
      .map((f) => `${dir}/${f}`),
  );
}

export function resultFixtures(): string[] {
  return allFixtures().filter((p) => !p.startsWith('seed/'));
}
