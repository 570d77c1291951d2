// SSCAN / ZSCAN option parsing and paging (scanGenericCommand in db.c), and the error replies shared by
// the set and sorted-set groups. Numbers and cursors come from util.ts, globs from keyspace/glob.ts.
import { err, type Resp } from '../../net/resp.ts';
import { stringMatch } from '../keyspace/glob.ts';
import { ERR_NOT_INT, ERR_SYNTAX, ERR_WRONGTYPE, parseLong, scanStep, sortForScan } from './util.ts';

export const WRONGTYPE: Resp = err(ERR_WRONGTYPE);
export const SYNTAX_ERR: Resp = err(ERR_SYNTAX);
export const NOT_INT: Resp = err(ERR_NOT_INT);

export interface ScanOptions {
  count: number;
  /** null when absent or exactly "*". */
  pattern: string | null;
}

/** COUNT / MATCH options of SSCAN and ZSCAN (from argv[3]); TYPE is only for SCAN. */
export function parseScanOptions(argv: readonly string[]): ScanOptions | Resp {
  let count = 10;
  let pattern: string | null = null;
  for (let i = 3; i < argv.length; i += 2) {
    const opt = argv[i]!.toLowerCase();
    const more = argv.length - i >= 2;
    if (opt === 'count' && more) {
      const c = parseLong(argv[i + 1]!);
      if (c === null) return NOT_INT;
      if (c < 1) return SYNTAX_ERR;
      count = c;
    } else if (opt === 'match' && more) {
      pattern = argv[i + 1] === '*' ? null : argv[i + 1]!;
    } else return SYNTAX_ERR;
  }
  return { count, pattern };
}

export const matches = (pattern: string | null, s: string): boolean => pattern === null || stringMatch(pattern, s);

/** One page of a hashtable-encoded collection, with the shared deterministic cursor walk of util.ts. */
export function scanPage(members: Iterable<string>, cursor: bigint, count: number): { items: string[]; next: bigint } {
  return scanStep(sortForScan(members, (m) => m), cursor, count);
}
