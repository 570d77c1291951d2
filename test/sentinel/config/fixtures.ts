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

/**
 * Server directives given in a sentinel.conf to a real redis-server --sentinel 7.0.15 (SENTINEL FLUSHCONFIG,
 * then the file read back), and the lines its rewrite made of them: names and values normalised, the last of
 * two loglevel lines kept in the first one's place, save and masterauth "" dropped (a dropped run of lines
 * leaves one blank line), only the first client-output-buffer-limit class reusing the old line.
 */
export const SERVER_LINES_GIVEN = [
  'slave-priority 5',
  'loglevel DEBUG',
  'maxmemory 1048576',
  'dbfilename dump.rdb',
  'loglevel Warning',
  'save 900 1',
  'appendonly YES',
  'unixsocketperm 700',
  'masterauth ""',
  'rename-command ROLE ROLE2',
  'client-output-buffer-limit pubsub 32mb 8mb 60',
];
export const SERVER_LINES_REWRITTEN = [
  'replica-priority 5',
  'loglevel warning',
  'maxmemory 1mb',
  'dbfilename "dump.rdb"',
  '',
  'appendonly yes',
  'unixsocketperm 700',
  '',
  'rename-command ROLE ROLE2',
  'client-output-buffer-limit normal 0 0 0',
];
