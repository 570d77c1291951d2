// `npm run tcl-units -- TOOL [UNIT...]`: Redis 7.0.15's own Tcl test units against a simulated server.
// Starts a gateway (one server, no config file) on a free loopback port in this process, runs the
// side-by-side tool (redis-tcl-units.sh: the units against that port and against real redis-server)
// and stops the gateway. The tool and the Tcl tests live outside the repository: the tool's path is
// the first argument or $REDIS_TCL_UNITS; see docs/tcl-units.md.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { pathToFileURL } from 'node:url';
import { startGateway } from './gateway.ts';

/** The units the brief calls core (docs/tcl-units.md). */
export const CORE_UNITS = [
  'unit/type/string',
  'unit/type/incr',
  'unit/type/list',
  'unit/type/hash',
  'unit/type/set',
  'unit/type/zset',
  'unit/expire',
  'unit/keyspace',
  'unit/multi',
  'unit/pubsub',
];

const USAGE = `usage: npm run tcl-units -- TOOL [UNIT...]
  TOOL   path of redis-tcl-units.sh (or set REDIS_TCL_UNITS=path and omit it)
  UNIT   e.g. unit/type/incr; default: the core units (${CORE_UNITS.join(' ')})
The tool reads the extracted Redis 7.0.15 tests from $TESTS (default /tmp/redis-tests); see docs/tcl-units.md.`;

/** Split argv into the tool path and the units; null when no tool is named. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): { tool: string; units: string[] } | null {
  const [first, ...rest] = argv;
  if (first !== undefined && !first.startsWith('unit/') && !first.startsWith('integration/')) return { tool: first, units: rest.length ? rest : CORE_UNITS };
  const tool = env.REDIS_TCL_UNITS;
  if (!tool) return null;
  return { tool, units: argv.length ? argv : CORE_UNITS };
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), process.env);
  if (!args) {
    process.stderr.write(`tcl-units: name the tool\n${USAGE}\n`);
    return 2;
  }
  if (!existsSync(args.tool)) {
    process.stderr.write(`tcl-units: ${args.tool}: no such file\n${USAGE}\n`);
    return 2;
  }
  const port = await freePort();
  const gw = await startGateway({ port, seed: 'tcl-units' });
  try {
    return await new Promise<number>((res) => {
      const child = spawn('bash', [args.tool, String(port), ...args.units], { stdio: 'inherit' });
      child.on('exit', (code) => res(code ?? 1));
      child.on('error', () => res(1));
    });
  } finally {
    await gw.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(`tcl-units: ${e.message}\n`);
      process.exit(1);
    },
  );
}
