// Shared inputs of the compare tests: simulated runs of scenarios/tutorial-failover.ts and the recorded real
// Redis 7.0.15 runs (test/fixtures/oracle/results) adapted to the simulator's records.
import { fileURLToPath } from 'node:url';
import type { TraceHeader, TraceRecord } from '../../engine/trace/types.ts';
import { summarizeTrace } from '../../scenarios/api/summary.ts';
import { scenarioSpec } from '../../scenarios/api/runner.ts';
import { oracleInputs, readOracleFile } from '../../bin/compare/oracle.ts';
import { headerFromSpec, scenarioParams } from '../../bin/compare/params.ts';
import { runSimulated } from '../../bin/compare/runs.ts';
import type { RunInput, ScenarioParams } from '../../bin/compare/model.ts';
import { loadScenario, type LoadedScenario } from '../../bin/run/load.ts';
import type { RealResult } from '../../bin/real/types.ts';

export const ORACLE_RESULTS = fileURLToPath(new URL('../fixtures/oracle/results', import.meta.url));
export const oraclePath = (name: string) => `${ORACLE_RESULTS}/${name}.json`;

/** The tutorial's kill (10 s after the start, as the scenario's script does after its waits) and restart 8 s later. */
export const KILL_AT_US = 10_000_669;

let loaded: Promise<LoadedScenario> | null = null;
export const tutorial = () => (loaded ??= loadScenario('tutorial-failover'));

const simRuns = new Map<string, Promise<RunInput>>();
export async function simRun(seed: string): Promise<RunInput> {
  let r = simRuns.get(seed);
  if (!r) simRuns.set(seed, (r = tutorial().then((l) => runSimulated(l, seed))));
  return r;
}

export async function tutorialParams(): Promise<ScenarioParams> {
  const l = await tutorial();
  return scenarioParams(scenarioSpec(l.scenario, '1', l.readFile));
}

export async function tutorialHeader(): Promise<TraceHeader> {
  const l = await tutorial();
  return headerFromSpec(scenarioSpec(l.scenario, '1', l.readFile), 'tutorial-failover', '');
}

/** The two seed-exact runs of real Redis 7.0.15, in the tutorial's addresses. */
export async function seedExactReal(atUs = KILL_AT_US): Promise<RunInput[]> {
  return oracleInputs(readOracleFile(oraclePath('seed-exact')), {
    header: await tutorialHeader(),
    fault: { fault: 'kill', target: '127.0.0.1:7003', atUs },
    heal: { fault: 'restart', target: '127.0.0.1:7003' },
    monitor: { name: 'TestMaster', addr: '127.0.0.1:7003', quorum: 1 },
  });
}

/** A run with its records rewritten (the report recomputed from them, as a real run's would be). */
export function rewritten(run: RunInput, label: string, f: (records: TraceRecord[]) => TraceRecord[]): RunInput {
  const records = f(structuredClone(run.records)).sort((a, b) => a.t - b.t);
  return { ...run, label, records, report: summarizeTrace(run.header, records) };
}

/** An oracle run as bin/real's runReal returns it. */
export function asRealResult(run: RunInput): RealResult {
  return {
    header: run.header,
    records: run.records,
    report: run.report,
    status: run.status,
    skipped: [],
    redisVersion: 'Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=ae4d7c971a948f0',
    error: null,
  };
}
