// Loading the guest's code in its thread (worker.ts): the app — an inline function's source, or a module — and
// the packages of ctx.import. CommonJS files are loaded with require(), whose cache a reused thread empties
// between runs (fresh.ts), so each run evaluates them afresh; an ES module cannot be unloaded, so loading one
// spoils the thread for later runs (pool.ts).
import { createRequire, isBuiltin } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isCommonJsFile } from './commonjs.ts';
import type { AppContext } from './context.ts';
import type { GuestCode } from './protocol.ts';

const realSetImmediate = globalThis.setImmediate;
const requireHere = createRequire(import.meta.url);

/**
 * ctx.import: a builtin, or the package's file resolved from `cwd`. A CommonJS file is required (the next run
 * requires it afresh), as a namespace like import()'s, once the event loop turned (import() resolves no sooner).
 */
export function importPackage(spec: string, cwd: string, spoil: (why: string) => void): Promise<Record<string, unknown>> {
  if (isBuiltin(spec)) return import(spec) as Promise<Record<string, unknown>>;
  let file: string;
  try {
    file = createRequire(join(cwd, 'noop.js')).resolve(spec);
  } catch (e) {
    return Promise.reject(e as Error);
  }
  if (!isCommonJsFile(file)) {
    spoil(`ctx.import('${spec}') loaded an ES module`);
    return import(pathToFileURL(file).href) as Promise<Record<string, unknown>>;
  }
  return new Promise((res, rej) =>
    realSetImmediate(() => {
      try {
        res(namespaceOf(requireHere(file)));
      } catch (e) {
        rej(e as Error);
      }
    }),
  );
}

/** What import() gives for a CommonJS module: its exports as `default`, and their own names. */
function namespaceOf(exports: unknown): Record<string, unknown> {
  const ns = Object.create(null) as Record<string, unknown>;
  if (exports !== null && (typeof exports === 'object' || typeof exports === 'function')) for (const k of Object.keys(exports)) if (k !== 'default') ns[k] = (exports as Record<string, unknown>)[k];
  ns.default = exports;
  Object.defineProperty(ns, Symbol.toStringTag, { value: 'Module' });
  return Object.freeze(ns);
}

/** The app's function: an inline function's source, or a module's export (CommonJS: required afresh; an ES module spoils the thread). */
export async function loadApp(c: GuestCode, spoil: (why: string) => void): Promise<(ctx: AppContext) => unknown> {
  if (c.source !== undefined) {
    // an inline function: evaluated here, in the guest's realm; esbuild's __name helper (tsx) is given
    const g = globalThis as Record<string, unknown>;
    g.__name ??= (f: unknown) => f;
    const fn = new Function(`return (${c.source});`)() as unknown;
    if (typeof fn !== 'function') throw new Error('the inline app is not a function');
    return fn as (ctx: AppContext) => unknown;
  }
  if (!c.module) throw new Error('no app code: give a function or { module }');
  let mod: Record<string, unknown>;
  if (c.commonjs) mod = requireHere(c.module.startsWith('file:') ? fileURLToPath(c.module) : c.module) as Record<string, unknown>;
  else {
    spoil('the app is an ES module');
    // a TypeScript app: tsx's loader, registered in this thread only when needed
    if (/\.(?:c|m)?ts$/.test(c.module)) {
      const { register } = await import('tsx/esm/api');
      register();
    }
    const url = c.module.startsWith('file:') ? c.module : pathToFileURL(c.module).href;
    mod = (await import(url)) as Record<string, unknown>;
  }
  const name = c.export ?? 'default';
  const fn = mod[name];
  if (typeof fn !== 'function') throw new Error(`${c.named ?? c.module}: export '${name}' is not a function (the app must be async (ctx) => { … })`);
  return fn as (ctx: AppContext) => unknown;
}
