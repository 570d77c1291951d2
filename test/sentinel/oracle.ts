// Reading the recorded runs of real Redis 7.0.15 (test/fixtures/oracle) for comparisons; the file format and
// its reader are bin/compare/oracle.ts's.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readOracleFile, type OracleRun } from '../../bin/compare/oracle.ts';

export const ORACLE_DIR = fileURLToPath(new URL('../fixtures/oracle', import.meta.url));

export type { OracleEvent, OracleRun } from '../../bin/compare/oracle.ts';

export function oracleRuns(scenario: string): OracleRun[] {
  return readOracleFile(`${ORACLE_DIR}/results/${scenario}.json`).runs;
}

export function seedConfig(name: string): string {
  return readFileSync(`${ORACLE_DIR}/seed-configs/${name}`, 'utf8');
}

/** Event names (+x / -x) of one Sentinel, in order. */
export function oracleSequence(run: OracleRun, sentinel: number): string[] {
  return run.events.filter((e) => e.sentinel === sentinel && /^[+-]/.test(e.event)).map((e) => e.event);
}

export interface OracleLogLine {
  /** ms of the day (the run never crosses midnight) */
  ms: number;
  level: string;
  text: string;
}

/** A Sentinel log of an oracle run: "<pid>:X 25 Nov 2026 02:32:23.236 # text". */
export function oracleLog(scenario: string, file: string): OracleLogLine[] {
  const text = readFileSync(`${ORACLE_DIR}/results/${scenario}/run1/${file}`, 'utf8');
  const out: OracleLogLine[] = [];
  for (const l of text.split('\n')) {
    const m = /^\d+:X \d+ \w+ \d+ (\d\d):(\d\d):(\d\d)\.(\d\d\d) (.) (.*)$/.exec(l);
    if (!m) continue;
    out.push({ ms: ((+m[1]! * 60 + +m[2]!) * 60 + +m[3]!) * 1000 + +m[4]!, level: m[5]!, text: m[6]! });
  }
  return out;
}

/** Run ids, pids and dates out of a log line, for comparisons. */
export function normalizeLine(l: string): string {
  return l
    .replace(/[0-9a-f]{40}/g, '<id>')
    .replace(/pid=\d+/, 'pid=<pid>')
    .replace(/before \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/, 'before <date>');
}
