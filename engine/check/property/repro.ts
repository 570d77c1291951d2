// A shrunk failure as a standalone scenario file (issue 7): the same calls the property run made, so
// `sentinel-sim run failures/<property>-<seed>.ts` replays it (and the viewer can open it).
import { CHECK_APP_IP, CHECK_APP_NAME } from '../app-history.ts';
import { describeCase, describeStep, clockOf, type Step } from './case.ts';
import type { KnownFailure } from './known.ts';
import type { ShrinkResult } from './shrink.ts';

const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The ScenarioRun call of one resolved step (harness.applyStep makes the same call). */
export function stepCall(s: Step): string {
  switch (s.op) {
    case 'kill':
      return `s.kill(${q(s.target)});`;
    case 'restart':
      return `s.restart(${q(s.target)});`;
    case 'pause':
      return `s.pause(${q(s.target)});`;
    case 'resume':
      return `s.resume(${q(s.target)});`;
    case 'host-down':
      return `s.hostDown(${q(s.target)});`;
    case 'host-up':
      return `s.hostUp(${q(s.target)});`;
    case 'isolate':
      return `s.isolate(${q(s.target)});`;
    case 'partition':
      return `s.partition([${s.groups.map((g) => `[${g.map(q).join(', ')}]`).join(', ')}]);`;
    case 'block':
      return `s.block(${q(s.from)}, ${q(s.to)});`;
    case 'heal':
      return 's.heal();';
    case 'link':
      return `s.setLink(${q(s.a)}, ${q(s.b)}, { latency: ${s.latencyMs}, loss: ${s.loss} });`;
    case 'clock-jump':
      return `s.clockJump(${q(s.target)}, ${s.deltaMs});`;
  }
}

/** ReproOptions.importBase of a repro file that imports the published package by name. */
export const PACKAGE_IMPORTS = 'sentinel-sim';

export function reproName(property: string, seed: number): string {
  return `${property}-${seed}`;
}

export interface ReproOptions {
  /** Import path of the project root as seen from the file (e.g. ".."), or PACKAGE_IMPORTS: the file imports
   *  'sentinel-sim' and 'sentinel-sim/check' (written by the installed package, in a user's project). */
  importBase: string;
  /** The file's path as the user will type it (for the replay line). */
  displayPath: string;
  /** Import path (from the file) of a module whose `checkers` export defines the property, if not built in. */
  checkerImport?: string;
  /** The file is a known failure's case (`sentinel-sim check --known <name>`), not a shrunk search failure. */
  known?: KnownFailure;
}

/** Comment lines of a long text, wrapped at about 110 characters. */
function wrap(text: string, width = 110): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/)) {
    if (line && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}

/** The text of the repro file. */
export function renderRepro(f: ShrinkResult, opts: ReproOptions): string {
  const o = f.outcome;
  const failed = o.results.filter((r) => r.name === f.property && !r.ok);
  const violation = failed[0]?.violations[0]?.message ?? 'see the report';
  const base = opts.importBase.replace(/\/$/, '');
  const L: string[] = [];
  if (opts.known) {
    L.push(`// Written by \`sentinel-sim check --known ${opts.known.name}\`: the known failure '${opts.known.name}' (property ${f.property}, seed ${f.seed}).`);
    for (const line of wrap(opts.known.description)) L.push(`// ${line}`);
    for (const line of wrap(`Source: ${opts.known.source}`)) L.push(`// ${line}`);
  } else L.push(`// Written by \`sentinel-sim check\`: the shrunk repro of property '${f.property}', seed ${f.seed} (${f.shrinks} shrink step(s), ${f.runs} run(s)).`);
  L.push(`// Replay: sentinel-sim run ${opts.displayPath}   (add --trace t.json to open it in the viewer)`);
  L.push(`// On real Redis: sentinel-sim real ${opts.displayPath}   (root for the network faults; see docs/real.md)`);
  L.push('//');
  for (const r of failed) for (const line of r.report.split('\n')) L.push(`// ${line}`);
  L.push('//');
  L.push('// The case:');
  for (const line of describeCase(f.case)) L.push(`//   ${line}`);
  if (base === PACKAGE_IMPORTS) {
    L.push(`import { defineScenario } from 'sentinel-sim';`);
    L.push(`import { caseCluster, checkCase, finishCase, quietPeriod, startCase } from 'sentinel-sim/check';`);
  } else {
    L.push(`import { defineScenario } from '${base}/scenarios/api/index.ts';`);
    L.push(`import { caseCluster, finishCase, quietPeriod, startCase } from '${base}/engine/check/property/harness.ts';`);
    L.push(`import { checkCase } from '${base}/engine/check/property/verdict.ts';`);
  }
  if (f.case.app) L.push(base === PACKAGE_IMPORTS ? `import 'sentinel-sim/guest';` : `import '${base}/bin/guest/index.ts';`);
  if (opts.checkerImport) L.push(`import { checkers } from ${q(opts.checkerImport)};`);
  L.push('');
  L.push(`const topology = ${JSON.stringify(f.case.topology)};`);
  L.push(`const workload = ${JSON.stringify(f.case.workload)};`);
  L.push('');
  L.push('export default defineScenario({');
  L.push(`  name: ${q(`check-${reproName(f.property, f.seed)}`)},`);
  L.push(`  description: ${q(opts.known ? `Known failure ${opts.known.name} (property ${f.property})` : `Shrunk failure of ${f.property}: ${violation}`)},`);
  L.push(`  seed: ${q(String(f.seed))},`);
  L.push(`  detail: 'events',`);
  L.push('  keyframeEveryMs: 1000,');
  L.push('  setup: () => caseCluster(topology),');
  L.push('  script: (s) => {');
  if (f.case.app)
    L.push(`    const app = s.app(${q(CHECK_APP_NAME)}, { host: ${q(CHECK_APP_IP)}, module: ${q(f.case.app.module)}${f.case.app.params !== undefined ? `, params: ${JSON.stringify(f.case.app.params)}` : ''} });`);
  L.push(`    const run = startCase(s, topology, workload, ${f.case.quietAtMs});`);
  let prev = 0;
  for (const a of o.applied) {
    const at = a.step.at;
    if (at > prev) L.push(`    s.at(${q(clockOf(at))});`);
    prev = Math.max(prev, at);
    const note = describeStep(a.step).slice(13);
    const resolvedNote = JSON.stringify(a.step) !== JSON.stringify(a.resolved) ? ` // ${note}` : '';
    if (a.skipped) L.push(`    // skipped (not applicable then): ${describeStep(a.resolved).slice(13)}`);
    else L.push(`    ${stepCall(a.resolved)}${resolvedNote}`);
  }
  L.push(`    s.at(${q(clockOf(f.case.quietAtMs))});`);
  L.push('    quietPeriod(s, run); // heal everything, restart what is down');
  L.push('    finishCase(s, run); // wait for convergence (bounded), probe, final read');
  if (f.case.app) L.push("    app.end(); // the application's history is closed: ops in flight become 'unknown'");
  if (f.property === 'determinism') L.push('    // determinism: run this file twice and compare the trace sha256 lines');
  const props = f.property === 'run' || f.property === 'determinism' ? '[]' : `[${q(f.property)}]`;
  L.push(`    checkCase(s, ${props}${opts.checkerImport ? ', checkers' : ''}); // the property, as an expectation: exit 1 when violated`);
  L.push('  },');
  L.push('});');
  return L.join('\n') + '\n';
}

/** The one-screen report of a failure: property, seed, path, the minimal schedule, the violation. */
export function failureScreen(f: ShrinkResult, path: string | null, extraArgs = ''): string {
  const r = f.outcome.results.find((x) => x.name === f.property && !x.ok);
  const lines = [
    `✗ property ${f.property} failed — seed ${f.seed}${path ? ` — repro ${path}` : ''}`,
    `  shrunk in ${f.shrinks} step(s) (${f.runs} run(s)); replay: sentinel-sim run ${path ?? '<repro>'}  or  sentinel-sim check --seed ${f.seed} --runs 1 --property ${f.property}${extraArgs ? ` ${extraArgs}` : ''}`,
    '  minimal case:',
    ...describeCase(f.case).map((l) => `    ${l}`),
    ...(r ? r.report.split('\n').map((l) => `  ${l}`) : []),
  ];
  return lines.join('\n');
}
