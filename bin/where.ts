// Where this copy of sentinel-sim lives: from source in a clone (run through tsx) or compiled in dist/
// (the published package). The CLI uses it to find the built-in scenarios, the built viewer and the import
// paths a repro file needs.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

/** True when running the compiled JavaScript in dist/ (the installed package), false from TypeScript sources. */
export const COMPILED = here.endsWith('.js');

/** The package root: the folder holding package.json (dist/bin/where.js → ../.., bin/where.ts → ..). */
export const PACKAGE_ROOT = COMPILED ? resolve(dirname(here), '../..') : resolve(dirname(here), '..');

/** The compiled tree (dist/) or the source tree (the package root). */
export const CODE_ROOT = COMPILED ? join(PACKAGE_ROOT, 'dist') : PACKAGE_ROOT;

/** The built web replay. */
export const VIEWER_DIR = join(PACKAGE_ROOT, 'dist', 'viewer');

/** File extension of the modules of this copy. */
export const MODULE_EXT = COMPILED ? '.js' : '.ts';
