/**
 * Parameters holding lists of numbers: save, client-output-buffer-limit,
 * oom-score-adj-values and latency-tracking-info-percentiles.
 */
import { formatFixed6, formatMemory, memtoull, string2d, strtoll, trimDouble } from './cnum.ts';
import type { SpecialHandler } from './special-types.ts';
import type { OutputBufferLimit, OutputBufferLimits, SaveRule } from './types.ts';

const INVALID_SAVE = 'Invalid save parameters';

/** The rules Redis uses when the file has no `save` line. */
export const DEFAULT_SAVE_RULES: readonly SaveRule[] = [
  { seconds: 3600, changes: 1 },
  { seconds: 300, changes: 100 },
  { seconds: 60, changes: 10000 },
];

export const saveHandler: SpecialHandler<SaveRule[]> = {
  init: () => DEFAULT_SAVE_RULES.map((r) => ({ ...r })),
  set(args, prev, ctx) {
    let argv = args;
    let cleared = false;
    if (argv.length === 1 && argv[0] === '') {
      argv = [];
      cleared = true;
    }
    if (argv.length % 2 === 1) return { ok: false, error: INVALID_SAVE };
    for (let j = 0; j < argv.length; j++) {
      const r = strtoll(argv[j]!);
      if (r.rest !== '' || (j % 2 === 0 && r.value < 1n) || (j % 2 === 1 && r.value < 0n)) {
        return { ok: false, error: INVALID_SAVE };
      }
    }
    // A file's first `save` line replaces the defaults; later lines add rules.
    let base = cleared ? [] : prev;
    if (!ctx.load.readingFile) base = [];
    else if (!ctx.load.saveLoaded) {
      ctx.load.saveLoaded = true;
      base = [];
    }
    const rules = base.map((r) => ({ ...r }));
    for (let j = 0; j < argv.length; j += 2) {
      rules.push({
        seconds: Number(strtoll(argv[j]!).value),
        changes: Number(BigInt.asIntN(32, strtoll(argv[j + 1]!).value)),
      });
    }
    return { ok: true, value: rules, changed: true };
  },
  get: (rules) => rules.map((r) => `${r.seconds} ${r.changes}`).join(' '),
  rewrite(state, name, rules) {
    // rewriteConfigSaveOption: a Sentinel writes no save rules (its old lines are dropped)
    if (state.sentinelMode) {
      state.markProcessed(name);
      return;
    }
    if (rules.length === 0) state.rewriteLine(name, 'save ""', true);
    for (const r of rules) state.rewriteLine(name, `save ${r.seconds} ${r.changes}`, true);
    state.markProcessed(name);
  },
  clone: (rules) => rules.map((r) => ({ ...r })),
};

type ObufClass = keyof OutputBufferLimits;
const OBUF_CLASSES: readonly ObufClass[] = ['normal', 'replica', 'pubsub'];
const OBUF_GET_NAMES: Record<ObufClass, string> = { normal: 'normal', replica: 'slave', pubsub: 'pubsub' };
const MB = 1024n * 1024n;

export const DEFAULT_OBUF_LIMITS: OutputBufferLimits = {
  normal: { hardBytes: 0n, softBytes: 0n, softSeconds: 0 },
  replica: { hardBytes: 256n * MB, softBytes: 64n * MB, softSeconds: 60 },
  pubsub: { hardBytes: 32n * MB, softBytes: 8n * MB, softSeconds: 60 },
};

/** getClientTypeByName (networking.c): CLIENT LIST / KILL TYPE and client-output-buffer-limit classes. */
export function clientTypeByName(name: string): ObufClass | 'master' | null {
  switch (name.toLowerCase()) {
    case 'normal':
      return 'normal';
    case 'slave':
    case 'replica':
      return 'replica';
    case 'pubsub':
      return 'pubsub';
    case 'master':
      return 'master';
    default:
      return null;
  }
}

function cloneLimits(v: OutputBufferLimits): OutputBufferLimits {
  return { normal: { ...v.normal }, replica: { ...v.replica }, pubsub: { ...v.pubsub } };
}

function sameLimit(a: OutputBufferLimit, b: OutputBufferLimit): boolean {
  return a.hardBytes === b.hardBytes && a.softBytes === b.softBytes && a.softSeconds === b.softSeconds;
}

export const outputBufferLimitHandler: SpecialHandler<OutputBufferLimits> = {
  init: () => cloneLimits(DEFAULT_OBUF_LIMITS),
  set(args, prev) {
    if (args.length % 4 !== 0) {
      return { ok: false, error: 'Wrong number of arguments in buffer limit configuration.' };
    }
    const next = cloneLimits(prev);
    for (let j = 0; j < args.length; j += 4) {
      const cls = clientTypeByName(args[j]!);
      if (cls === null || cls === 'master') {
        return { ok: false, error: 'Invalid client class specified in buffer limit configuration.' };
      }
      const hard = memtoull(args[j + 1]!);
      const soft = memtoull(args[j + 2]!);
      const secs = strtoll(args[j + 3]!);
      const seconds = Number(BigInt.asIntN(32, secs.value));
      if (hard === null || soft === null || seconds < 0 || secs.rest !== '') {
        return { ok: false, error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
      }
      next[cls] = { hardBytes: hard, softBytes: soft, softSeconds: seconds };
    }
    return { ok: true, value: next, changed: true };
  },
  get: (v) =>
    OBUF_CLASSES.map((c) => `${OBUF_GET_NAMES[c]} ${v[c].hardBytes} ${v[c].softBytes} ${v[c].softSeconds}`).join(' '),
  rewrite(state, name, v) {
    for (const c of OBUF_CLASSES) {
      const force = !sameLimit(v[c], DEFAULT_OBUF_LIMITS[c]);
      if (!state.writes(name, force)) {
        state.markProcessed(name);
        continue;
      }
      const line = `${name} ${c} ${formatMemory(v[c].hardBytes)} ${formatMemory(v[c].softBytes)} ${v[c].softSeconds}`;
      state.rewriteLine(name, line, force);
    }
  },
  clone: cloneLimits,
};

const DEFAULT_OOM_VALUES: readonly number[] = [0, 200, 800];

export const oomScoreAdjValuesHandler: SpecialHandler<number[]> = {
  init: () => [...DEFAULT_OOM_VALUES],
  set(args, prev) {
    if (args.length !== 3) return { ok: false, error: 'wrong number of arguments' };
    const values: number[] = [];
    for (const a of args) {
      const r = strtoll(a);
      if (r.rest !== '' || r.value < -2000n || r.value > 2000n) {
        return { ok: false, error: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.' };
      }
      values.push(Number(r.value));
    }
    return { ok: true, value: values, changed: values.some((v, i) => v !== prev[i]) };
  },
  get: (v) => v.join(' '),
  rewrite(state, name, v) {
    const force = v.some((x, i) => x !== DEFAULT_OOM_VALUES[i]);
    state.rewriteLine(name, `${name} ${v.join(' ')}`, force);
  },
  clone: (v) => [...v],
};

/** Percentiles as %f then trimmed; remembered (a pure function, formatted at every config rewrite). */
const percentileText = new Map<number, string>();
function formatPercentile(p: number): string {
  let t = percentileText.get(p);
  if (t === undefined) {
    t = trimDouble(formatFixed6(p));
    // (the Map would take -0 for 0, which %f spells differently)
    if (percentileText.size < 256 && !Object.is(p, -0)) percentileText.set(p, t);
  }
  return t;
}

export const latencyPercentilesHandler: SpecialHandler<number[]> = {
  init: () => [50, 99, 99.9],
  set(args) {
    const argv = args.length === 1 && args[0] === '' ? [] : args;
    const values: number[] = [];
    for (const a of argv) {
      const p = string2d(a);
      if (p === null) return { ok: false, error: 'Invalid latency-tracking-info-percentiles parameters' };
      if (p > 100 || p < 0) {
        return { ok: false, error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
      }
      values.push(p);
    }
    return { ok: true, value: values, changed: true };
  },
  get: (v) => v.map(formatPercentile).join(' '),
  rewrite(state, name, v) {
    const args = v.length === 0 ? ' ""' : v.map((p) => ' ' + formatPercentile(p)).join('');
    state.rewriteLine(name, name + args, true);
  },
  clone: (v) => [...v],
};
