/**
 * The `user` directive of sentinel.conf: checked and described by the ACL engine redis-server uses
 * (engine/redis/acl), over Sentinel mode's command table — one implementation, as in Redis.
 */
import { checkUserLine } from '../../redis/acl/config.ts';
import { Acl } from '../../redis/acl/registry.ts';
import { ruleErrorText } from '../../redis/acl/user.ts';
import { sentinelUniverse } from '../acl-universe.ts';
import { DEFAULT_USER_ACL, type AclUserConfig } from './types.ts';

export const DUPLICATE_USER = ruleErrorText('EALREADY');

/**
 * ACLAppendUserForLoading's check of `user <name> <rules...>`. Returns the index (into the full argv,
 * 0 = "user") Redis blames — it prints argv[j] for the failing merged rule j — and the message, or
 * null when the rules are accepted (unknown commands fail only when the users are loaded).
 */
export function validateUserRules(rules: readonly string[]): { argIndex: number; message: string } | null {
  return checkUserLine(['user', '__check__', ...rules], sentinelUniverse());
}

/** The description ACL LIST gives a user loaded from the file (the default user is reset first). */
export function describeLoadedUser(name: string, rules: readonly string[]): string {
  const acl = new Acl({ universe: sentinelUniverse(), pubsubAllChannels: () => false });
  const r = acl.loadConfigured([[name, ...rules]]);
  if (r.failed) return rules.join(' '); // an unknown command: loading will fail and exit
  const line = acl.list().find((l) => l.startsWith(`user ${name} `))!;
  return line.slice(`user ${name} `.length);
}

/** Users as CONFIG REWRITE lists them: sorted by name (byte order), default included. */
export function sortedUsers(users: readonly AclUserConfig[]): AclUserConfig[] {
  const all = users.some((u) => u.name === 'default')
    ? [...users]
    : [{ name: 'default', acl: DEFAULT_USER_ACL }, ...users];
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
