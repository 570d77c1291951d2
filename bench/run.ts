// `npm run bench [-- --json] [-- --only NAME]`: every figure of every issue, measured in one run.
import { execFileSync } from 'node:child_process';
import { networkFigure, schedulerFigure } from './engine.ts';
import { report, type Figure } from './figures.ts';
import { keyspaceFigures } from './server.ts';
import { sentinelFigures } from './sentinel.ts';
import { replicationFigures } from './replication.ts';
import { scenarioFigures } from './scenarios.ts';
import { propertyFigures } from './property.ts';
import { distributedFigures } from './distributed.ts';
import { viewerFigures } from './viewer.ts';
import { cliFigures } from './cli.ts';
import { appFigures } from './apps.ts';
import { growthFigures } from './growth.ts';
import { memoryFigures } from './memory.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : undefined;

/** Figures that need a fresh process (memory) run as children. */
function child(script: string): Figure[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--expose-gc', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Figure);
}

const suites: [string, () => Figure[]][] = [
  ['scheduler-vs-bare-heap', () => [schedulerFigure()]],
  ['network-msgs-per-s', () => [networkFigure()]],
  ['ring-trace-peak-rss-mb', () => child('bench/ring-memory.ts')],
  ['keyspace', keyspaceFigures],
  ['sentinel', sentinelFigures],
  ['replication', replicationFigures],
  ['rdb', () => child('bench/rdb.ts')],
  ['scenario', scenarioFigures],
  ['property', propertyFigures],
  ['distributed', distributedFigures],
  ['viewer', viewerFigures],
  ['cli', cliFigures],
  ['app', appFigures],
  // issue 19 items 4–5; `--full` adds the growth curves' largest sizes that take minutes
  ['growth', () => growthFigures(args.includes('--full'))],
  ['memory', memoryFigures],
];

for (const [name, fn] of suites) {
  if (only && !name.startsWith(only)) continue;
  if (!json) process.stderr.write(`bench: ${name}...\n`);
  for (const f of fn()) report(f, json);
}
