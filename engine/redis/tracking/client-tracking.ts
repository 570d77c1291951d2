// CLIENT TRACKING / CACHING / GETREDIR / TRACKINGINFO (networking.c clientCommand, Redis 7.0.15).
import { arr, bulk, err, int, map, OK, set, type Reply } from '../../net/resp.ts';
import type { CommandContext } from '../commands/context.ts';
import type { Client } from '../server/client.ts';
import { parseLongLong } from '../server/cmdutil.ts';
import { NOT_INTEGER, SYNTAX } from '../server/errors.ts';
import { serverOf } from '../server/server-of.ts';

const me = (ctx: CommandContext) => ctx.client as Client;

/** CLIENT TRACKING (on|off) [REDIRECT id] [BCAST] [PREFIX p]... [OPTIN] [OPTOUT] [NOLOOP] */
export function clientTracking(ctx: CommandContext): Reply {
  const s = serverOf(ctx);
  const c = me(ctx);
  const argv = ctx.argv;
  let redir = 0;
  const opts = { bcast: false, optin: false, optout: false, noloop: false };
  const prefixes: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const o = argv[j]!.toLowerCase();
    if (o === 'redirect' && more) {
      j++;
      if (redir !== 0) return err('ERR A client can only redirect to a single other client');
      const id = parseLongLong(argv[j]!);
      if (id === null) return NOT_INTEGER;
      if (!s.clients.has(id) || s.clients.get(id)!.closed) return err('ERR The client ID you want redirect to does not exist');
      redir = id;
    } else if (o === 'bcast') opts.bcast = true;
    else if (o === 'optin') opts.optin = true;
    else if (o === 'optout') opts.optout = true;
    else if (o === 'noloop') opts.noloop = true;
    else if (o === 'prefix' && more) prefixes.push(argv[++j]!);
    else return SYNTAX;
  }
  const onoff = argv[2]!.toLowerCase();
  if (onoff === 'on') {
    if (!opts.bcast && prefixes.length) return err('ERR PREFIX option requires BCAST mode to be enabled');
    const t = c.tracking;
    if (t && t.bcast !== opts.bcast)
      return err(
        "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
      );
    if (opts.bcast && (opts.optin || opts.optout)) return err('ERR OPTIN and OPTOUT are not compatible with BCAST');
    if (opts.optin && opts.optout) return err("ERR You can't specify both OPTIN mode and OPTOUT mode");
    if ((opts.optin && t?.optout) || (opts.optout && t?.optin))
      return err(
        "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
      );
    if (opts.bcast) {
      const e = s.tracking.prefixCollision(c, prefixes);
      if (e) return err(e);
    }
    s.tracking.enable(c, redir, opts, prefixes);
  } else if (onoff === 'off') s.tracking.disable(c);
  else return SYNTAX;
  return OK;
}

/** CLIENT CACHING (yes|no) */
export function clientCaching(ctx: CommandContext): Reply {
  const t = me(ctx).tracking;
  if (!t) return err('ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
  const o = ctx.argv[2]!.toLowerCase();
  if (o === 'yes') {
    if (!t.optin) return err('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
  } else if (o === 'no') {
    if (!t.optout) return err('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
  } else return SYNTAX;
  t.caching = true;
  return OK;
}

export function clientGetredir(ctx: CommandContext): Reply {
  const t = me(ctx).tracking;
  return int(t ? t.redirect : -1);
}

/** CLIENT TRACKINGINFO: a map of flags (a set), redirect, prefixes. */
export function clientTrackinginfo(ctx: CommandContext): Reply {
  const t = me(ctx).tracking;
  const flags: string[] = [t ? 'on' : 'off'];
  if (t) {
    if (t.bcast) flags.push('bcast');
    if (t.optin) flags.push('optin');
    if (t.optin && t.caching) flags.push('caching-yes');
    if (t.optout) flags.push('optout');
    if (t.optout && t.caching) flags.push('caching-no');
    if (t.noloop) flags.push('noloop');
    if (t.brokenRedir) flags.push('broken_redirect');
  }
  return map([
    bulk('flags'),
    set(flags.map((f) => bulk(f))),
    bulk('redirect'),
    int(t ? t.redirect : -1),
    bulk('prefixes'),
    arr((t?.prefixes ?? []).map((p) => bulk(p))),
  ]);
}
