/**
 * A minimal view of the ACL users for CONFIG REWRITE when the server does not provide
 * its own: the default user (derived from requirepass) plus the file's `user` lines,
 * kept verbatim. A full ACL model belongs to the server; it can pass its own
 * descriptions to rewrite().
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { ConfigExtras } from './core.ts';
import type { ValueReader } from './types.ts';

/** Hex SHA-256 of a password, as ACL rules store it ("#<hash>"). */
export function passwordHash(password: string): string {
  return bytesToHex(sha256(utf8ToBytes(password)));
}

/** How ACL LIST describes the default user set up by `requirepass` (or its absence). */
export function defaultUserDescription(requirepass: string | null): string {
  const pass = requirepass === null ? 'nopass' : `#${passwordHash(requirepass)}`;
  return `default on ${pass} ~* &* +@all`;
}

/** Descriptions ("name rules...") of the users of a configuration. */
export function describeUsers(cfg: ValueReader & { readonly directives: Readonly<ConfigExtras> }): string[] {
  const out = new Map<string, string>();
  out.set('default', defaultUserDescription(cfg.value('requirepass') as string | null));
  for (const [name, ...rules] of cfg.directives.users) {
    out.set(name!, [name, ...rules].join(' '));
  }
  return [...out.values()];
}
