// Importing a user's module (a scenario file, a checkers module) by path. JavaScript is imported as is;
// TypeScript goes through tsx's loader, a runtime dependency loaded only here, on first use — the CLI itself
// starts without any TypeScript tooling.
import { pathToFileURL } from 'node:url';

const TS = /\.(?:c|m)?ts$/;
let registered: Promise<void> | null = null;

/** tsx's hooks, registered once for the whole process (not namespaced: a user file that imports
 *  'sentinel-sim' then shares this process's modules, so classes and instanceof checks agree). */
function registerTsx(): Promise<void> {
  registered ??= import('tsx/esm/api').then(({ register }) => void register());
  return registered;
}

/** The module at an absolute path. A .ts file is compiled by tsx (ESM or CommonJS, as its package says). */
export async function importUserModule(absPath: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(absPath).href;
  if (!TS.test(absPath)) return (await import(url)) as Record<string, unknown>;
  await registerTsx();
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    // a .ts file in a CommonJS package that uses ESM syntax: tsx's own import compiles it either way
    if (!(e instanceof Error) || !/require\(\) ES Module|ERR_REQUIRE_ESM|Cannot use import statement|ERR_UNKNOWN_FILE_EXTENSION/.test(`${(e as { code?: string }).code ?? ''} ${e.message}`)) throw e;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}
