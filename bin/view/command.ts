// Registers the `sentinel-sim view` command on the CLI (kept beside its implementation so bin/cli.ts stays small).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { CliError } from '../errors.ts';
import { COMPILED, PACKAGE_ROOT as ROOT, VIEWER_DIR as DIST } from '../where.ts';

/** Newest modification time under the page's sources (viz/, engine/, scenarios/, index.html). */
function newestSource(): number {
  let newest = 0;
  const walk = (p: string) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ['viz', 'engine', 'scenarios', 'index.html', 'vite.config.ts']) walk(join(ROOT, p));
  return newest;
}

export function siteIsStale(): boolean {
  // the installed package has no sources: its dist/viewer/ is what was built when it was packed
  if (!existsSync(join(ROOT, 'viz'))) return false;
  const built = statSync(join(DIST, 'index.html'), { throwIfNoEntry: false });
  return !built || built.mtimeMs < newestSource();
}

export function registerView(program: Command): void {
  program
    .command('view')
    .description('serve the web replay on loopback and print its URL; with a trace file (from `run --trace`), the page opens it')
    .argument('[trace]', 'trace file (.json) written by `sentinel-sim run --trace`')
    .option('--port <n>', 'port to listen on (default: any free port)', (v) => {
      const n = Number.parseInt(v, 10);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('--port must be 0..65535');
      return n;
    })
    .option('--host <ip>', 'address to listen on', '127.0.0.1')
    .option('--rebuild', 'rebuild the page (vite build) even if dist/ is up to date')
    .addHelpText('after', '\nThe page ships built in the package (dist/viewer/); in a clone it is built with `vite build` when missing or older than its sources. Stop with Ctrl-C.\nExit status: 2 bad usage or a missing, corrupt or foreign trace file.')
    .action(async (trace: string | undefined, opts: { port?: number; host: string; rebuild?: boolean }) => {
      if (trace) (await import('../run/replay.ts')).readTraceFile(trace); // one clear line and exit 2 for a bad file
      const canBuild = existsSync(join(ROOT, 'viz'));
      if (canBuild && (opts.rebuild || (!COMPILED && siteIsStale()))) {
        console.error('sentinel-sim view: building the page (vite build)…');
        await (await import('./server.ts')).buildSite();
      }
      if (!existsSync(join(DIST, 'index.html')))
        throw new CliError(`the web replay is not built (${DIST} is missing)${canBuild ? ': run `npm run build`' : ': reinstall sentinel-sim'}`, 1);
      const srv = await (await import('./server.ts')).serveView({ trace, port: opts.port, host: opts.host });
      console.log(`sentinel-sim view: ${srv.url}`);
      console.error('(Ctrl-C to stop)');
      const stop = () => void srv.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
