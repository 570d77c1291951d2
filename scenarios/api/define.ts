// defineScenario(): what a scenario file exports by default.
import type { DetailLevel } from '../../engine/trace/types.ts';
import type { ScenarioRun } from './run.ts';
import type { SetupResult } from './spec.ts';

export interface SetupContext {
  /** The run's master seed (the CLI's --seed, else the scenario's, else "1"). */
  seed: string;
}

export interface ScenarioDefinition {
  /** Short id, used as the trace's scenario name. */
  name: string;
  /** What it shows and what to look for. */
  description?: string;
  /** Default seed (overridden by --seed). */
  seed?: string | number;
  /** The cluster: cluster({...}), fromConfigFiles({...}) or fromConfigTexts({...}). */
  setup: (ctx: SetupContext) => SetupResult;
  /** The script: synchronous; virtual time advances only inside sleep / at / waitFor / exec and friends. */
  script: (s: ScenarioRun) => void;
  /** Trace detail (default 'messages': every message with its send and arrival time, for the viewer). */
  detail?: DetailLevel;
  /** Keyframe period in virtual ms (default 1000; 0 = only the final one). */
  keyframeEveryMs?: number;
}

export const SCENARIO_BRAND = 'sentinel-sim-scenario';

export interface Scenario extends ScenarioDefinition {
  readonly kind: typeof SCENARIO_BRAND;
}

export function defineScenario(def: ScenarioDefinition): Scenario {
  if (!def || typeof def.name !== 'string' || def.name === '') throw new Error('defineScenario: a name is required');
  if (typeof def.setup !== 'function') throw new Error(`defineScenario(${def.name}): setup must be a function returning a cluster`);
  if (typeof def.script !== 'function') throw new Error(`defineScenario(${def.name}): script must be a function`);
  return { ...def, kind: SCENARIO_BRAND };
}

/** Whether a module's default export is a scenario (checked by brand, not instanceof). */
export function isScenario(x: unknown): x is Scenario {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === SCENARIO_BRAND;
}
