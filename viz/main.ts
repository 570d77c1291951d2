// The web replay is not built yet (it is the last issue). For now the page runs the engine's network
// demo in the browser and prints its log, which proves engine/ bundles without Node APIs.
import { buildMesh } from '../engine/sim/demo.ts';
import { formatLogLine } from '../engine/trace/logformat.ts';

const app = document.getElementById('app')!;
const h1 = document.createElement('h1');
h1.textContent = 'sentinel-sim — engine demo (the replay viewer is not built yet)';
const pre = document.createElement('pre');
app.append(h1, pre);
const { sim } = buildMesh({ seed: 1, hosts: 4 });
const lines: string[] = [];
sim.trace.subscribe((r) => {
  if (r.k === 'log') lines.push(`${r.node} ${formatLogLine(r)}`);
  else if (r.k === 'fault') lines.push(`*** fault ${r.fault} ${r.target ?? ''}`);
});
sim.run({ until: 8_000_000 });
lines.push(`trace sha256 ${sim.trace.sha256()}`);
pre.textContent = lines.join('\n');
