/**
 * The `user` directive: validation at load and the ACL description CONFIG REWRITE writes
 * back. Only the common rule forms are modelled (on/off, passwords, nopass, key and
 * channel patterns, +@all/-@all); a user with other rules (single commands, categories,
 * %R~ patterns, selectors) keeps its rules verbatim in the rewrite.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { DEFAULT_USER_ACL, type AclUserConfig } from './types.ts';

interface AclState {
  enabled: boolean;
  nopass: boolean;
  skipSanitize: boolean;
  sanitize: boolean;
  passwords: string[];
  allKeys: boolean;
  keys: string[];
  allChannels: boolean;
  channels: string[];
  allCommands: boolean;
  /** False once a rule we do not model was applied. */
  modelled: boolean;
}

function newUserState(): AclState {
  return {
    enabled: false,
    nopass: false,
    skipSanitize: false,
    sanitize: false,
    passwords: [],
    allKeys: false,
    keys: [],
    allChannels: false,
    channels: [],
    allCommands: false,
    modelled: true,
  };
}

function resetState(s: AclState): void {
  Object.assign(s, newUserState(), { sanitize: true, modelled: s.modelled });
}

const SYNTAX = 'Syntax error';
const KEYS_AFTER_ALL =
  "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
const CHANNELS_AFTER_ALL =
  "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
const NO_SUCH_PASSWORD = 'The password you are trying to remove from the user does not exist';
const BAD_HASH =
  'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters';
export const DUPLICATE_USER =
  'Duplicate user found. A user can only be defined once in config files';

function hashPassword(pw: string): string {
  return bytesToHex(sha256(utf8ToBytes(pw)));
}

function pushUnique(list: string[], v: string): void {
  if (!list.includes(v)) list.push(v);
}

/** Apply one rule; returns an error text or null. */
function applyRule(s: AclState, op: string): string | null {
  const l = op.toLowerCase();
  if (op.length === 0) return null;
  if (l === 'on' || l === 'off') s.enabled = l === 'on';
  else if (l === 'skip-sanitize-payload') [s.skipSanitize, s.sanitize] = [true, false];
  else if (l === 'sanitize-payload') [s.skipSanitize, s.sanitize] = [false, true];
  else if (l === 'nopass') [s.nopass, s.passwords] = [true, []];
  else if (l === 'resetpass') [s.nopass, s.passwords] = [false, []];
  else if (op[0] === '>' || op[0] === '#' || op[0] === '<' || op[0] === '!') {
    const isHash = op[0] === '#' || op[0] === '!';
    const value = op.slice(1);
    if (isHash && !/^[0-9a-f]{64}$/.test(value)) return BAD_HASH;
    const hash = isHash ? value : hashPassword(value);
    if (op[0] === '>' || op[0] === '#') {
      pushUnique(s.passwords, hash);
      s.nopass = false;
    } else {
      const i = s.passwords.indexOf(hash);
      if (i < 0) return NO_SUCH_PASSWORD;
      s.passwords.splice(i, 1);
    }
  } else if (op[0] === '(' && op[op.length - 1] === ')') s.modelled = false;
  else if (l === 'clearselectors') return null; // drops extra selectors only: none modelled
  else if (l === 'reset') resetState(s);
  else if (l === 'allkeys' || l === '~*') [s.allKeys, s.keys] = [true, []];
  else if (l === 'resetkeys') [s.allKeys, s.keys] = [false, []];
  else if (l === 'allchannels' || l === '&*') [s.allChannels, s.channels] = [true, []];
  else if (l === 'resetchannels') [s.allChannels, s.channels] = [false, []];
  else if (l === 'allcommands' || l === '+@all') s.allCommands = true;
  else if (l === 'nocommands' || l === '-@all') s.allCommands = false;
  else if (op[0] === '~' || op[0] === '%') {
    if (s.allKeys) return KEYS_AFTER_ALL;
    if (op[0] === '%') {
      const m = /^%([RWrw]*)~/.exec(op);
      const perms = m ? m[1]!.toUpperCase() : '';
      if (!m || perms.length > 2 || perms === 'RR' || perms === 'WW') return SYNTAX;
      if (/\s/.test(op)) return SYNTAX;
      s.modelled = false;
    } else if (/\s/.test(op)) return SYNTAX;
    else pushUnique(s.keys, op.slice(1));
  } else if (op[0] === '&') {
    if (s.allChannels) return CHANNELS_AFTER_ALL;
    if (/\s/.test(op)) return SYNTAX;
    pushUnique(s.channels, op.slice(1));
  } else if (op[0] === '+' || op[0] === '-') {
    s.modelled = false; // commands / categories: valid, not modelled here
  } else return SYNTAX;
  return null;
}

function describe(s: AclState): string {
  const parts: string[] = [s.enabled ? 'on' : 'off'];
  if (s.nopass) parts.push('nopass');
  if (s.skipSanitize) parts.push('skip-sanitize-payload');
  if (s.sanitize) parts.push('sanitize-payload');
  for (const p of s.passwords) parts.push(`#${p}`);
  if (s.allKeys) parts.push('~*');
  else for (const k of s.keys) parts.push(`~${k}`);
  if (s.allChannels) parts.push('&*');
  else parts.push('resetchannels', ...s.channels.map((c) => `&${c}`));
  parts.push(s.allCommands ? '+@all' : '-@all');
  return parts.join(' ');
}

/**
 * Check the rules of `user <name> <rules...>` on a fresh user, as Redis does while
 * reading the file. Returns the index (into the full argv, 0 = "user") Redis blames, and
 * the message, or null when the rules are accepted.
 */
export function validateUserRules(rules: readonly string[]): { argIndex: number; message: string } | null {
  const s = newUserState();
  for (let j = 0; j < rules.length; j++) {
    const err = applyRule(s, rules[j]!);
    // Redis reports argv[j] although the failing rule is argv[j + 2].
    if (err) return { argIndex: j, message: err };
  }
  return null;
}

/** Description of a user loaded from the file (the default user is reset first). */
export function describeLoadedUser(name: string, rules: readonly string[]): string {
  const s = newUserState();
  if (name === 'default') resetState(s);
  for (const r of rules) applyRule(s, r);
  return s.modelled ? describe(s) : rules.join(' ');
}

/** Users as CONFIG REWRITE lists them: sorted by name (byte order), default included. */
export function sortedUsers(users: readonly AclUserConfig[]): AclUserConfig[] {
  const all = users.some((u) => u.name === 'default')
    ? [...users]
    : [{ name: 'default', acl: DEFAULT_USER_ACL }, ...users];
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
