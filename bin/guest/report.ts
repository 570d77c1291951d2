// Notes a scenario writes about an application's run (the examples' findings): outcomes, errors seen, the
// longest stretch without an acknowledged write, the first write to the new master, stale-master writes.
import { appFigures, type AppFigures } from '../../engine/check/app-history.ts';
import type { AppHandle } from '../../scenarios/api/apps.ts';
import type { ScenarioRun } from '../../scenarios/api/run.ts';
import { runRecords } from '../../scenarios/api/invariants.ts';

const sec = (us: number) => `${(us / 1e6).toFixed(3)} s`;

/** The app's figures, also written as notes ("app web-1: …") into the trace. */
export function noteAppFigures(s: ScenarioRun, app: AppHandle, opts: { faultAt?: number } = {}): AppFigures {
  // a stretch that lasts until the app's last write attempt counts too (a client that never recovers)
  const lastTry = Math.max(0, ...app.history.filter((e) => e.op !== 'read-all' && e.op !== 'get').map((e) => e.invoke));
  const f = appFigures(app.history, runRecords(s), lastTry);
  s.note(`app ${app.name}: ${f.writes} writes, ${f.acknowledged} acknowledged, ${f.failed} failed, ${f.unknown} unknown`);
  if (f.longestGapFrom !== null)
    s.note(`app ${app.name}: longest stretch without an acknowledged write ${sec(f.longestGapUs)} (from ${sec(f.longestGapFrom)}${f.longestGapFrom + f.longestGapUs >= lastTry ? ' until its last write attempt' : ''})`);
  if (f.firstSwitch && f.firstOkOnNewMaster !== null) {
    const since = opts.faultAt !== undefined ? `, ${sec(f.firstOkOnNewMaster - opts.faultAt)} after the fault` : '';
    s.note(`app ${app.name}: first write acknowledged by the new master ${f.firstSwitch.to} ${sec(f.firstOkOnNewMaster - f.firstSwitch.t)} after the first +switch-master${since}`);
  }
  for (const e of f.errors.slice(0, 6)) s.note(`app ${app.name}: ${e.count}× ${e.message}`);
  s.note(`app ${app.name}: ${f.staleMasterWrites.length} write(s) acknowledged by a master the Sentinels had already switched away from`);
  return f;
}

/** The app module next to a scenario file: `./code/x` → .ts from sources, .js in the compiled package. */
export function moduleNextTo(importMetaUrl: string, rel: string): string {
  return new URL(rel + (importMetaUrl.endsWith('.ts') ? '.ts' : '.js'), importMetaUrl).href;
}
