import type { AclUniverse } from './universe.ts';
// The ACL data model of Redis 7.0.15 (acl.c): users, their selectors, key patterns.

/** A key pattern with its permissions (keyPattern: ACL_READ_PERMISSION / ACL_WRITE_PERMISSION). */
export interface KeyPattern {
  pattern: string;
  read: boolean;
  write: boolean;
}

/** aclSelector: the root selector holds the rules outside parentheses. */
export interface Selector {
  root: boolean;
  allKeys: boolean;
  allChannels: boolean;
  /** SELECTOR_FLAG_ALLCOMMANDS: cleared as soon as any command bit is cleared. */
  allCommands: boolean;
  /** The reserved "future commands" bit that only +@all / allcommands sets. */
  future: boolean;
  /** Command bits: full names (get, config|get) allowed. */
  allowed: Set<string>;
  /** allowed_firstargs: full name → first arguments allowed while the command bit is off. */
  firstArgs: Map<string, string[]>;
  patterns: KeyPattern[];
  channels: string[];
}

/** user: flags, password hashes, selectors (the root first). */
export interface User {
  name: string;
  enabled: boolean;
  disabled: boolean;
  nopass: boolean;
  skipSanitize: boolean;
  sanitize: boolean;
  /** Hex SHA-256 hashes, in insertion order. */
  passwords: string[];
  selectors: Selector[];
}

/** ACL_DENIED_* (values order the "most relevant" error across selectors). */
export const ACL_OK = 0;
export const DENIED_CMD = 1;
export const DENIED_KEY = 2;
export const DENIED_AUTH = 3;
export const DENIED_CHANNEL = 4;
export type AclResult = 0 | 1 | 2 | 3 | 4;

/** ACL_LOG_CTX_*. */
export type LogContext = 'toplevel' | 'lua' | 'multi' | 'module';

/** Where ACL rules look up commands and the acl-pubsub-default setting. */
export interface AclEnv {
  /** The process's command table. */
  readonly universe: AclUniverse;
  /** acl-pubsub-default is allchannels: new selectors start with &*. */
  pubsubAllChannels(): boolean;
}
