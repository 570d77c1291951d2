// The web replay: `?scenario=tutorial-failover&seed=7` runs a library scenario in the page,
// `?trace=<url>` opens a trace file written by `sentinel-sim run --trace`; default: the tutorial failover.
import { App } from './app/app.ts';
import './style.css';

const app = new App(document.getElementById('app')!);
const q = new URLSearchParams(location.search);
const trace = q.get('trace');
if (trace) void app.openUrl(trace);
else app.loadScenario(q.get('scenario') ?? 'tutorial-failover', q.get('seed') ?? undefined);
const t = q.get('t');
if (t && !trace) app.seek(Number(t));
(window as unknown as { sentinelSim: App }).sentinelSim = app;
