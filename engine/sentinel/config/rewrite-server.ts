/**
 * CONFIG REWRITE of the generic server options of a Sentinel: the ones SentinelFileConfig
 * models, the other table directives read from the file, and the ACL users.
 *
 * Redis walks its option table in hash order, which differs from process to process, so
 * the order in which options absent from the file get appended is not fixed; this module
 * uses one stable order (the one of the seed-exact run's first Sentinel: pidfile,
 * latency-tracking-info-percentiles, protected-mode, then users).
 */
import { sortedUsers } from './acl.ts';
import { lookupStandardConfig } from './server-configs.ts';
import { formatPercentiles, formatStandardValue } from './server-values.ts';
import type { RewriteState } from './rewrite-state.ts';
import { quoteRepr } from './tokenizer.ts';
import { DEFAULT_BIND, type RawDirective, type SentinelFileConfig } from './types.ts';

/** Server defaults the rewrite compares with (not the Sentinel ones: port 26379 is forced). */
const SERVER_DEFAULT_PORT = 6379;

function isDefaultBind(bind: readonly string[]): boolean {
  return bind.length === DEFAULT_BIND.length && bind.every((b, i) => b === DEFAULT_BIND[i]);
}

function rewriteModelled(state: RewriteState, c: SentinelFileConfig): void {
  state.rewriteLine('port', `port ${c.port}`, c.port !== SERVER_DEFAULT_PORT);

  if (isDefaultBind(c.bind)) state.markProcessed('bind');
  else state.rewriteLine('bind', `bind ${c.bind.length ? c.bind.join(' ') : '""'}`, true);

  state.rewriteLine('daemonize', `daemonize ${c.daemonize ? 'yes' : 'no'}`, c.daemonize);

  if (c.pidfile === null) state.markProcessed('pidfile');
  else state.rewriteLine('pidfile', `pidfile ${quoteRepr(c.pidfile)}`, true);

  state.rewriteLine('logfile', `logfile ${quoteRepr(c.logfile)}`, c.logfile !== '');
  state.rewriteLine('dir', `dir ${quoteRepr(c.dir)}`, true);

  const pct = formatPercentiles(c.latencyTrackingInfoPercentiles);
  state.rewriteLine('latency-tracking-info-percentiles', `latency-tracking-info-percentiles ${pct}`, true);

  state.rewriteLine('protected-mode', `protected-mode ${c.protectedMode ? 'yes' : 'no'}`, !c.protectedMode);
}

/** Table directives kept raw: written back normalised, last value wins. */
function rewriteOthers(state: RewriteState, others: readonly RawDirective[]): void {
  const last = new Map<string, RawDirective>();
  for (const d of others) {
    const spec = lookupStandardConfig(d.name);
    if (spec) last.set(spec.name, d);
  }
  for (const [name, d] of last) {
    const spec = lookupStandardConfig(name)!;
    const value = formatStandardValue(spec, d.args);
    if (value === undefined) continue; // own syntax: the old lines stay as they are
    if (value === null) state.markProcessed(name);
    else state.rewriteLine(name, `${name} ${value}`, true);
  }
  // A Sentinel never writes `save` lines: any in the file are blanked.
  state.markProcessed('save');
}

export function rewriteServerOptions(state: RewriteState, c: SentinelFileConfig): void {
  rewriteModelled(state, c);
  rewriteOthers(state, c.otherDirectives);
  for (const u of sortedUsers(c.users)) state.rewriteLine('user', `user ${u.name} ${u.acl}`, true);
  state.markProcessed('user');
}
