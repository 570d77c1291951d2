// ACL pieces of config loading, shared by redis-server and Sentinel (Redis 7.0.15
// ACLAppendUserForLoading, ACLLoadUsersAtStartup).
import { RuleError } from './selector.ts';
import type { AclEnv } from './types.ts';
import { applyUserRule, mergeSelectorArgs, newUser, ruleErrorText } from './user.ts';
import type { Acl } from './registry.ts';
import { SERVER_UNIVERSE, type AclUniverse } from './universe.ts';



/**
 * ACLAppendUserForLoading's check of `user <name> <rules...>` (argv includes "user"): null when
 * accepted (unknown commands are only reported when the users are loaded), else the index Redis
 * blames — an index into the merged rules that config.c prints as argv[index] — and the text.
 */
export function checkUserLine(argv: readonly string[], universe: AclUniverse = SERVER_UNIVERSE): { argIndex: number; message: string } | null {
  const env: AclEnv = { universe, pubsubAllChannels: () => false };
  const merged = mergeSelectorArgs(argv.slice(2));
  if ('unmatched' in merged) return { argIndex: merged.unmatched, message: ruleErrorText(null) };
  const u = newUser('__fakeuser:0__', env);
  for (let j = 0; j < merged.args.length; j++) {
    try {
      applyUserRule(u, merged.args[j]!, env);
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
      if (e.errno !== 'ENOENT') return { argIndex: j, message: ruleErrorText(e.errno) };
    }
  }
  return null;
}

/** The config.c message for a rejected `user` line (null when accepted). */
export function userLineError(argv: readonly string[], universe: AclUniverse = SERVER_UNIVERSE): string | null {
  const bad = checkUserLine(argv, universe);
  return bad ? `Error in user declaration '${argv[bad.argIndex]}': ${bad.message}` : null;
}

/**
 * ACLLoadUsersAtStartup: the `user` lines, then the ACL file. Returns the log lines and, when the
 * process must exit, true in `fatal`.
 */
export function loadUsersAtStartup(
  acl: Acl,
  users: readonly (readonly string[])[],
  aclfile: string,
  readFile: (path: string) => string | null,
): { logs: [level: '#' | '*', line: string][]; fatal: boolean } {
  if (aclfile !== '' && users.length > 0) {
    return {
      logs: [
        [
          '#',
          'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.',
        ],
      ],
      fatal: true,
    };
  }
  const r = acl.loadConfigured(users);
  if (r.failed) return { logs: [...r.logs, ['#', 'Critical error while loading ACLs. Exiting.']], fatal: true };
  if (aclfile !== '') {
    const e = acl.loadFile(readFile(aclfile), aclfile, 'No such file or directory');
    if (e !== null) return { logs: [...r.logs, ['#', `Aborting Redis startup because of ACL errors: ${e}`]], fatal: true };
  }
  return { logs: r.logs, fatal: false };
}
