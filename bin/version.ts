// The version of this sentinel-sim: the package.json of the package this module belongs to, found by walking
// up from this file to the first package.json named "sentinel-sim" (bin/ in a clone, dist/bin/ when installed).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest package.json above `from` whose name is "sentinel-sim" (its path and parsed contents), or null. */
export function findPackageJson(from: string = fileURLToPath(import.meta.url)): { path: string; json: { name?: string; version?: string } } | null {
  for (let dir = dirname(from); ; ) {
    const path = join(dir, 'package.json');
    try {
      const json = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
      if (json.name === 'sentinel-sim') return { path, json };
    } catch {
      // no package.json here, or not JSON: keep walking up
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

let cached: string | undefined;

/** The package version ("0.1.0"); "unknown" if its package.json cannot be found. */
export function packageVersion(): string {
  cached ??= findPackageJson()?.json.version ?? 'unknown';
  return cached;
}
