// The scenario API (docs/scenario-api.md): a scenario file's default export is defineScenario({...}).
export { defineScenario, isScenario, type Scenario, type ScenarioDefinition, type SetupContext } from './define.ts';
export { cluster, type ClusterOptions, type LayoutHost, type Persistence } from './cluster.ts';
export { fromConfigFiles, fromConfigTexts, resolveConfigFiles, ScenarioConfigError, type ConfigText } from './configs.ts';
export { nodeName, type ClusterSpec, type ConfigFileRef, type ConfigFilesSpec, type ConfigSetOptions, type Duration, type HostSpec, type NodeSpec, type SetupResult } from './spec.ts';
export { ScenarioRun, StopRun, type HistorySource, type ScenarioRunOptions, type WaitOptions, type WaitTarget } from './run.ts';
export type { ScenarioExecutor, ScenarioClient, WorkloadHistory } from './executor.ts';
export type { LinkOptions } from './faults.ts';
export { registerGuestRuntime, type AppFunction, type AppHandle, type AppOptions, type GuestRuntime } from './apps.ts';
export { js, type ExecOptions } from './admin.ts';
export { ScenarioError, resolveNode, resolveHost, type NamedProc, type NodeTopology } from './nodes.ts';
export { describeRecord, type EventQuery, type RecordPredicate } from './match.ts';
export { buildSimulation, runScenario, scenarioSpec, type RunError, type RunResult, type RunScenarioOptions } from './runner.ts';
export {
  SummaryBuilder,
  summarizeTrace,
  type ClientOpsCounts,
  type FailoverSummary,
  type RunStatus,
  type RunSummary,
  type ServerRole,
  type SummaryReport,
} from './summary.ts';
export { addClients, startWorkload, type ScenarioClientsOptions, type ScenarioWorkload } from './workloads.ts';
export { agreedMaster, expectSafety, failoversSoFar, mastersNow, promotionsPerEpoch, runRecords, waitConverged, waitDiscovered, watchMasters, type MasterWatch } from './invariants.ts';
