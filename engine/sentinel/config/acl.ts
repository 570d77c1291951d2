/**
 * The `user` directive of sentinel.conf: checked and described by the ACL engine redis-server uses
 * (engine/redis/acl), over Sentinel mode's command table — one implementation, as in Redis.
 */
import { userLineError } from '../../redis/acl/config.ts';
import { Acl } from '../../redis/acl/registry.ts';
import { sentinelUniverse } from '../acl-universe.ts';
import { DEFAULT_USER_ACL, type AclUserConfig } from './types.ts';

/** ACLAppendUserForLoading's check of a `user` line (argv with "user"), over Sentinel's commands. */
export function sentinelUserLineError(argv: readonly string[]): string | null {
  return userLineError(argv, sentinelUniverse());
}

/** rename-command's check in Sentinel mode: the command table holds only Sentinel's commands. */
export function sentinelCommandExists(name: string): boolean {
  return sentinelUniverse().byFullname(name.toLowerCase()) !== null;
}

/** The description ACL LIST gives a user loaded from the file (the default user is reset first). */
export function describeLoadedUser(name: string, rules: readonly string[]): string {
  const acl = new Acl({ universe: sentinelUniverse(), pubsubAllChannels: () => false });
  const r = acl.loadConfigured([[name, ...rules]]);
  if (r.failed) return rules.join(' '); // an unknown command: loading will fail and exit
  const line = acl.list().find((l) => l.startsWith(`user ${name} `))!;
  return line.slice(`user ${name} `.length);
}

/** The users a file declares, described as ACL LIST does, default included, sorted by name. */
export function describeDeclaredUsers(lines: readonly (readonly string[])[]): AclUserConfig[] {
  const users: AclUserConfig[] = [];
  for (const [name, ...rules] of lines) users.push({ name: name!, acl: describeLoadedUser(name!, rules) });
  return sortedUsers(users);
}

/** Users as CONFIG REWRITE lists them: sorted by name (byte order), default included. */
export function sortedUsers(users: readonly AclUserConfig[]): AclUserConfig[] {
  const all = users.some((u) => u.name === 'default')
    ? [...users]
    : [{ name: 'default', acl: DEFAULT_USER_ACL }, ...users];
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
