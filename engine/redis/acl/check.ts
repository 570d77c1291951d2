// The permission check of Redis 7.0.15 (ACLSelectorCheckCmd, ACLCheckAllUserCommandPerm,
// ACLUserCheckChannelPerm, ACLKillPubsubClientsIfNeeded's channel test).
import { stringMatch } from '../keyspace/glob.ts';
import { channelRefs, keyRefs, type KeyRef } from './keys.ts';
import { ACL_OK, DENIED_CHANNEL, DENIED_CMD, DENIED_KEY, type AclResult, type Selector, type User } from './types.ts';
import type { AclCommand } from './universe.ts';

function checkKey(s: Selector, key: string, ref: KeyRef): boolean {
  if (s.allKeys) return true;
  for (const p of s.patterns) {
    if ((ref.read && !p.read) || (ref.write && !p.write)) continue;
    if (stringMatch(p.pattern, key)) return true;
  }
  return false;
}

/** ACLCheckChannelAgainstList: a pattern (PSUBSCRIBE) only matches an identical ACL pattern. */
export function channelAllowedBy(list: readonly string[], channel: string, isPattern: boolean): boolean {
  for (const p of list) if (isPattern ? p === channel : stringMatch(p, channel)) return true;
  return false;
}

interface Denial {
  result: AclResult;
  pos: number;
}

function checkSelector(s: Selector, c: AclCommand, argv: readonly string[], keys: () => KeyRef[]): Denial | null {
  if (!s.allCommands && !c.spec.flags.includes('no_auth') && !s.allowed.has(c.fullname)) {
    const args = s.firstArgs.get(c.fullname);
    const idx = c.parent ? 2 : 1;
    if (argv.length < 2 || !args || !args.some((a) => a.toLowerCase() === argv[idx]?.toLowerCase()))
      return { result: DENIED_CMD, pos: 0 };
  }
  if (!s.allKeys) {
    for (const k of keys()) if (!checkKey(s, argv[k.pos]!, k)) return { result: DENIED_KEY, pos: k.pos };
  }
  if (!s.allChannels) {
    for (const ch of channelRefs(c.fullname, argv)) {
      if (!ch.checked) continue;
      if (!channelAllowedBy(s.channels, argv[ch.pos]!, ch.pattern)) return { result: DENIED_CHANNEL, pos: ch.pos };
    }
  }
  return null;
}

const ALLOWED: { readonly result: AclResult; readonly pos: number } = Object.freeze({ result: ACL_OK, pos: 0 });

/** ACLCheckAllUserCommandPerm: OK if any selector allows; else the most relevant denial. */
export function checkCommand(u: User | null, c: AclCommand, argv: readonly string[]): { result: AclResult; pos: number } {
  if (!u) return ALLOWED;
  // a selector that allows every command, key and channel allows this one, wherever it is in the list
  // (a Sentinel checks every PING, hello and is-master-down-by-addr of its peers for the default user)
  for (const s of u.selectors) if (s.allCommands && s.allKeys && s.allChannels) return ALLOWED;
  let cached: KeyRef[] | null = null;
  const keys = () => (cached ??= keyRefs(c.spec, c.fullname, argv));
  let relevant: AclResult = DENIED_CMD;
  let lastIdx = 0;
  for (const s of u.selectors) {
    const d = checkSelector(s, c, argv, keys);
    if (!d) return ALLOWED;
    if (d.result > relevant || (d.result === relevant && d.pos > lastIdx)) {
      relevant = d.result;
      lastIdx = d.pos;
    }
  }
  return { result: relevant, pos: lastIdx };
}

/** ACLUserCheckKeyPerm. */
export function userCanAccessKey(u: User | null, key: string, read: boolean, write: boolean): boolean {
  if (!u) return true;
  return u.selectors.some((s) => checkKey(s, key, { pos: 0, read, write }));
}

/** ACLUserCheckChannelPerm. */
export function userCanAccessChannel(u: User | null, channel: string, isPattern: boolean): boolean {
  if (!u) return true;
  return u.selectors.some((s) => s.allChannels || channelAllowedBy(s.channels, channel, isPattern));
}

/**
 * ACLKillPubsubClientsIfNeeded's first half: null when no subscriber can lose access (a selector
 * with &*, or the new channels a superset of the old), else the new user's channel list.
 */
export function revokedChannelList(next: User, original: User): string[] | null {
  if (next.selectors.some((s) => s.allChannels)) return null;
  const upcoming = next.selectors.flatMap((s) => s.channels);
  for (const s of original.selectors) {
    if (s.allChannels) return upcoming;
    for (const ch of s.channels) if (!upcoming.includes(ch)) return upcoming;
  }
  return null;
}

/** ACLSelectorHasUnrestrictedKeyAccess: allkeys, or a "*" pattern with the access asked. */
function unrestrictedKeys(s: Selector, read: boolean, write: boolean): boolean {
  if (s.allKeys) return true;
  return s.patterns.some((p) => (!read || p.read) && (!write || p.write) && p.pattern === '*');
}

/** ACLUserCheckCmdWithUnrestrictedKeyAccess (SORT's BY / GET patterns need read access to every key). */
export function canRunWithUnrestrictedKeys(u: User | null, c: AclCommand, argv: readonly string[], read: boolean, write: boolean): boolean {
  if (!u) return true;
  let cached: KeyRef[] | null = null;
  const keys = () => (cached ??= keyRefs(c.spec, c.fullname, argv));
  return u.selectors.some((s) => checkSelector(s, c, argv, keys) === null && unrestrictedKeys(s, read, write));
}
