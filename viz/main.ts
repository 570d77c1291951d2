// The web replay: `?scenario=tutorial-failover&seed=7` runs a library scenario in the page (with `cut`,
// `actions` and `end`: a branch, as its "copy link" writes it), `?trace=<url>` opens a trace file written by
// `sentinel-sim run --trace`; `t` places the playhead (µs); `tour` starts the guided tour. Default: the tutorial failover.
import { App } from './app/app.ts';
import { planFromQuery } from './app/fork.ts';
import './style.css';

// the page is built in a task of its own, after the one that evaluated this bundle (no long task at the start)
await new Promise((r) => setTimeout(r, 0));
const app = new App(document.getElementById('app')!);
const q = new URLSearchParams(location.search);
const trace = q.get('trace');
const t = q.get('t') !== null && /^\d+$/.test(q.get('t')!) ? Number(q.get('t')) : null;
if (trace) void app.openUrl(trace);
else {
  const name = q.get('scenario') ?? 'tutorial-failover';
  let branch: ReturnType<typeof planFromQuery> = null;
  let bad: string | null = null;
  try {
    branch = planFromQuery(q, q.get('seed') ?? '');
  } catch (e) {
    bad = `this link's branch cannot be read: ${(e as Error).message}`;
  }
  if (branch && (branch.plan.actions.length > 0 || branch.plan.cut !== null)) app.loadScenario(name, q.get('seed') || undefined, { ...branch, t });
  else {
    app.loadScenario(name, q.get('seed') || undefined, undefined, { t });
  }
  if (bad) app.fail(bad);
}
// `?tour`: the guided tour of the tutorial failover starts at once
if (q.has('tour')) void app.tour.start();
(window as unknown as { sentinelSim: App }).sentinelSim = app;
