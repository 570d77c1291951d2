// The guest worker's entry file. In the package it is the compiled dist/bin/guest/worker.js. From sources it is
// worker.ts bundled by esbuild into node_modules/.cache (its packages stay imports), so a guest thread starts
// without a TypeScript loader (tsx costs the thread most of a second; it is registered only for a .ts app).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMPILED, PACKAGE_ROOT } from '../where.ts';
import { bundleToCache } from './bundle.ts';

let entry: URL | null = null;

/** The URL a guest Worker starts from (built once per process from sources). */
export function guestWorkerUrl(): URL {
  if (entry) return entry;
  if (COMPILED) return (entry = new URL('./worker.js', import.meta.url));
  // esbuild is a devDependency, present wherever tsx is: from sources only
  const file = bundleToCache(new URL('./worker.ts', import.meta.url).pathname, join(PACKAGE_ROOT, 'node_modules', '.cache', 'sentinel-sim'), 'guest-worker');
  return (entry = pathToFileURL(file));
}
