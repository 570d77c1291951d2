// `sentinel-sim view`: serve the built web replay (dist/viewer/: shipped in the package; from a clone built
// with Vite on first use) on loopback, plus the trace file given on the command line at /trace.json (the page
// opens it via ?trace=trace.json).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { PACKAGE_ROOT, VIEWER_DIR } from '../where.ts';

export const ROOT = PACKAGE_ROOT;
export const DIST = VIEWER_DIR;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

/** Build the static site (vite build) into dist/viewer/ (from a clone: vite is a dev dependency). */
export async function buildSite(opts: { outDir?: string; quiet?: boolean } = {}): Promise<void> {
  const { build } = await import('vite');
  await build({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: opts.quiet === false ? 'info' : 'error',
    build: opts.outDir ? { outDir: opts.outDir, emptyOutDir: true } : {},
  });
}

export interface ViewServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function serveView(opts: { trace?: string; port?: number; host?: string; dist?: string } = {}): Promise<ViewServer> {
  const dist = opts.dist ?? DIST;
  const host = opts.host ?? '127.0.0.1';
  const trace = opts.trace ? resolve(opts.trace) : null;
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file: string | null;
    if (path === '/trace.json' && trace) file = trace;
    else {
      const rel = normalize(path === '/' ? '/index.html' : path).replace(/^([/\\])+/, '');
      file = join(dist, rel);
      if (!file.startsWith(dist + sep)) file = null;
    }
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, host, () => ok());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const url = `http://${host}:${port}/${trace ? '?trace=trace.json' : ''}`;
  return { url, server, close: () => new Promise((ok) => server.close(() => ok())) };
}
