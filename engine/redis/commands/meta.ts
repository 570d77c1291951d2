// The parts of a Redis 7.0.15 command's JSON description that COMMAND INFO / DOCS / GETKEYSANDFLAGS
// show beyond name, arity and flags: tips, key specs, complexity, history, doc arguments (server.c
// addReplyCommandInfo / addReplyCommandDocs / addReplyCommandKeySpecs / addReplyCommandArgList).
import { arr, bulk, int, map, set, simple, type Reply } from '../../net/resp.ts';

/** Key-spec flags, in addReplyFlagsForKeyArgs order. */
export const KEY_FLAG_ORDER = ['RO', 'RW', 'OW', 'RM', 'access', 'update', 'insert', 'delete', 'not_key', 'incomplete', 'variable_flags'] as const;
export type KeyFlag = (typeof KEY_FLAG_ORDER)[number];

/** One key spec: where the search begins, how the keys are found from there. */
export interface KeySpec {
  flags: KeyFlag[];
  notes?: string;
  /** begin_search: a fixed index, or after a keyword searched from `startfrom` (negative: from the end). */
  bs: { index: number } | { keyword: string; startfrom: number };
  /** find_keys: a range [lastkey, keystep, limit] relative to the begin, or a key count at keynumidx. */
  fk: { range: [number, number, number] } | { keynum: [number, number, number] };
}

/** A documented argument (COMMAND DOCS "arguments"). */
export interface DocArg {
  name: string;
  type: 'string' | 'integer' | 'double' | 'key' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';
  keySpecIndex?: number;
  token?: string;
  since?: string;
  deprecatedSince?: string;
  flags?: ('optional' | 'multiple' | 'multiple_token')[];
  args?: DocArg[];
}

export interface CommandMeta {
  /** Command tips ("nondeterministic_output", "request_policy:all_nodes", ...). */
  tips?: string[];
  keySpecs?: KeySpec[];
  complexity?: string;
  /** [version, what changed]. */
  history?: [string, string][];
  docFlags?: ('deprecated' | 'syscmd')[];
  deprecatedSince?: string;
  replacedBy?: string;
  args?: DocArg[];
}

/** A key spec whose begin_search or find_keys may be unknown (KSPEC_BS_UNKNOWN / KSPEC_FK_UNKNOWN): null. */
export type InfoKeySpec = Omit<KeySpec, 'bs' | 'fk'> & { bs: KeySpec['bs'] | null; fk: KeySpec['fk'] | null };

const UNKNOWN_SPEC: Reply = map([bulk('type'), bulk('unknown'), bulk('spec'), map([])]);

/** addReplyCommandKeySpecs. */
export function keySpecsReply(specs: readonly InfoKeySpec[]): Reply {
  return set(
    specs.map((k) => {
      const f: Reply[] = [];
      if (k.notes !== undefined) f.push(bulk('notes'), bulk(k.notes));
      f.push(bulk('flags'), set(KEY_FLAG_ORDER.filter((x) => k.flags.includes(x)).map((x) => simple(x))));
      f.push(
        bulk('begin_search'),
        k.bs === null
          ? UNKNOWN_SPEC
          : 'index' in k.bs
          ? map([bulk('type'), bulk('index'), bulk('spec'), map([bulk('index'), int(k.bs.index)])])
          : map([bulk('type'), bulk('keyword'), bulk('spec'), map([bulk('keyword'), bulk(k.bs.keyword), bulk('startfrom'), int(k.bs.startfrom)])]),
      );
      f.push(
        bulk('find_keys'),
        k.fk === null
          ? UNKNOWN_SPEC
          : 'range' in k.fk
          ? map([bulk('type'), bulk('range'), bulk('spec'), map([bulk('lastkey'), int(k.fk.range[0]), bulk('keystep'), int(k.fk.range[1]), bulk('limit'), int(k.fk.range[2])])])
          : map([bulk('type'), bulk('keynum'), bulk('spec'), map([bulk('keynumidx'), int(k.fk.keynum[0]), bulk('firstkey'), int(k.fk.keynum[1]), bulk('keystep'), int(k.fk.keynum[2])])]),
      );
      return map(f);
    }),
  );
}

/** addReplyCommandArgList. */
export function docArgsReply(args: readonly DocArg[]): Reply {
  return arr(
    args.map((a) => {
      const f: Reply[] = [bulk('name'), bulk(a.name), bulk('type'), bulk(a.type)];
      if (a.keySpecIndex !== undefined) f.push(bulk('key_spec_index'), int(a.keySpecIndex));
      if (a.token !== undefined) f.push(bulk('token'), bulk(a.token));
      if (a.since !== undefined) f.push(bulk('since'), bulk(a.since));
      if (a.deprecatedSince !== undefined) f.push(bulk('deprecated_since'), bulk(a.deprecatedSince));
      if (a.flags?.length) f.push(bulk('flags'), set(a.flags.map((x) => simple(x))));
      if (a.type === 'oneof' || a.type === 'block') f.push(bulk('arguments'), docArgsReply(a.args ?? []));
      return map(f);
    }),
  );
}

/** The doc fields after summary/since/group (complexity, doc_flags, history, arguments), in addReplyCommandDocs order. */
export function docExtras(meta: CommandMeta | undefined): Reply[] {
  if (!meta) return [];
  const out: Reply[] = [];
  if (meta.complexity !== undefined) out.push(bulk('complexity'), bulk(meta.complexity));
  if (meta.docFlags?.length) out.push(bulk('doc_flags'), set(meta.docFlags.map((x) => simple(x))));
  if (meta.deprecatedSince !== undefined) out.push(bulk('deprecated_since'), bulk(meta.deprecatedSince));
  if (meta.replacedBy !== undefined) out.push(bulk('replaced_by'), bulk(meta.replacedBy));
  if (meta.history?.length) out.push(bulk('history'), set(meta.history.map(([v, t]) => arr([bulk(v), bulk(t)]))));
  if (meta.args?.length) out.push(bulk('arguments'), docArgsReply(meta.args));
  return out;
}

/**
 * getKeysUsingKeySpecs (db.c): every key position of argv with the flags of the spec that found it,
 * or null when a spec does not fit argv (the caller answers "Invalid arguments specified for command").
 */
export function keysFromSpecs(specs: readonly KeySpec[], argv: readonly string[]): { pos: number; flags: string[] }[] | null {
  const out: { pos: number; flags: string[] }[] = [];
  const argc = argv.length;
  for (const spec of specs) {
    if (spec.flags.includes('not_key')) continue;
    let first = 0;
    if ('index' in spec.bs) first = spec.bs.index;
    else {
      const { keyword, startfrom } = spec.bs;
      // the keyword is searched up to (not including) the last argument, or down to argv[2]
      const start = startfrom > 0 ? startfrom : argc + startfrom;
      const end = startfrom > 0 ? argc - 1 : 1;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i]!.toLowerCase() === keyword.toLowerCase()) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue;
    }
    let last: number;
    let step: number;
    if ('range' in spec.fk) {
      const [lastkey, keystep, limit] = spec.fk.range;
      step = keystep;
      if (lastkey >= 0) last = first + lastkey;
      else if (limit === 0) last = argc + lastkey;
      else last = first + (Math.trunc((argc - first) / limit) + lastkey);
    } else {
      const [keynumidx, firstkey, keystep] = spec.fk.keynum;
      step = keystep;
      if (keynumidx >= argc) return null;
      const raw = argv[first + keynumidx];
      const n = raw !== undefined && /^(0|-?[1-9][0-9]{0,18})$/.test(raw) ? Number(raw) : -1;
      if (n < 0) return null;
      first += firstkey;
      last = first + n - 1;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) out.push({ pos: i, flags: spec.flags });
    if (spec.flags.includes('incomplete')) return null;
  }
  return out;
}
