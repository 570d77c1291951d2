// Users and their rules (ACLSetUser, ACLStringSetUser, ACLMergeSelectorArguments, ACLDescribeUser of
// Redis 7.0.15 acl.c).
import { passwordHash } from '../config/users.ts';
import { applySelectorRule, copySelector, describeSelector, newSelector, RuleError, type RuleErrno } from './selector.ts';
import type { AclEnv, User } from './types.ts';
import type { AclUniverse } from './universe.ts';

export { RuleError };

/** ACLSetUserStringError. */
export function ruleErrorText(errno: RuleErrno | null): string {
  switch (errno) {
    case 'ENOENT':
      return 'Unknown command or category name in ACL';
    case 'EINVAL':
      return 'Syntax error';
    case 'EEXIST':
      return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
    case 'EISDIR':
      return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
    case 'ENODEV':
      return 'The password you are trying to remove from the user does not exist';
    case 'EBADMSG':
      return 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters';
    case 'EALREADY':
      return 'Duplicate user found. A user can only be defined once in config files';
    case 'ECHILD':
      return 'Allowing first-arg of a subcommand is not supported';
    default:
      return 'Wrong format';
  }
}

/** ACLCreateUser: disabled, no passwords, a root selector with no permissions. */
export function newUser(name: string, env: AclEnv): User {
  return {
    name,
    enabled: false,
    disabled: true,
    nopass: false,
    skipSanitize: false,
    sanitize: false,
    passwords: [],
    selectors: [newSelector(true, env.pubsubAllChannels())],
  };
}

/** ACLCopyUser (the name stays the destination's). */
export function copyUserInto(dst: User, src: User): void {
  Object.assign(dst, { ...src, name: dst.name, passwords: [...src.passwords], selectors: src.selectors.map(copySelector) });
}

export function cloneUser(u: User, name = u.name): User {
  const c = { ...u, name, passwords: [...u.passwords], selectors: u.selectors.map(copySelector) };
  return c;
}

const HASH = /^[0-9a-f]{64}$/;

/** sdssplitargs of a selector's inside (quotes allowed); null on unbalanced quotes. */
function splitSelectorArgs(inner: string): string[] {
  return inner.split(/[ \t\r\n]+/).filter((x) => x.length > 0);
}

/** ACLSetUser: one rule on a user; throws RuleError. */
export function applyUserRule(u: User, op: string, env: AclEnv): void {
  if (op.length === 0) return;
  const l = op.toLowerCase();
  if (l === 'on') [u.enabled, u.disabled] = [true, false];
  else if (l === 'off') [u.enabled, u.disabled] = [false, true];
  else if (l === 'skip-sanitize-payload') [u.skipSanitize, u.sanitize] = [true, false];
  else if (l === 'sanitize-payload') [u.skipSanitize, u.sanitize] = [false, true];
  else if (l === 'nopass') [u.nopass, u.passwords] = [true, []];
  else if (l === 'resetpass') [u.nopass, u.passwords] = [false, []];
  else if (op[0] === '>' || op[0] === '#') {
    const value = op.slice(1);
    if (op[0] === '#' && !HASH.test(value)) throw new RuleError('EBADMSG');
    const hash = op[0] === '>' ? passwordHash(value) : value;
    if (!u.passwords.includes(hash)) u.passwords.push(hash);
    u.nopass = false;
  } else if (op[0] === '<' || op[0] === '!') {
    const value = op.slice(1);
    if (op[0] === '!' && !HASH.test(value)) throw new RuleError('EBADMSG');
    const hash = op[0] === '<' ? passwordHash(value) : value;
    const i = u.passwords.indexOf(hash);
    if (i < 0) throw new RuleError('ENODEV');
    u.passwords.splice(i, 1);
  } else if (op[0] === '(' && op[op.length - 1] === ')') {
    const s = newSelector(false, env.pubsubAllChannels());
    for (const r of splitSelectorArgs(op.slice(1, -1))) applySelectorRule(s, r, env.universe);
    u.selectors.push(s);
  } else if (l === 'clearselectors') u.selectors = u.selectors.filter((s) => s.root);
  else if (l === 'reset') {
    for (const r of ['resetpass', 'resetkeys', 'resetchannels']) applyUserRule(u, r, env);
    if (env.pubsubAllChannels()) applyUserRule(u, 'allchannels', env);
    for (const r of ['off', 'sanitize-payload', 'clearselectors', '-@all']) applyUserRule(u, r, env);
  } else applySelectorRule(u.selectors[0]!, op, env.universe);
}

/** ACLMergeSelectorArguments: "(~a" "+get)" → "(~a +get)"; null + index of an unclosed "(". */
export function mergeSelectorArgs(argv: readonly string[]): { args: string[] } | { unmatched: number } {
  const out: string[] = [];
  let open = -1;
  let acc = '';
  for (let j = 0; j < argv.length; j++) {
    const op = argv[j]!;
    if (op[0] === '(' && op[op.length - 1] !== ')') {
      acc = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      acc += ` ${op}`;
      if (op[op.length - 1] === ')') {
        open = -1;
        out.push(acc);
      }
      continue;
    }
    out.push(op);
  }
  return open !== -1 ? { unmatched: open } : { args: out };
}

/** ACLDescribeUser: "on nopass #... ~* &* +@all (selector)". */
export function describeUser(u: User, universe: AclUniverse): string {
  const parts: string[] = [];
  if (u.enabled) parts.push('on');
  if (u.disabled) parts.push('off');
  if (u.nopass) parts.push('nopass');
  if (u.skipSanitize) parts.push('skip-sanitize-payload');
  if (u.sanitize) parts.push('sanitize-payload');
  for (const p of u.passwords) parts.push(`#${p}`);
  let out = parts.map((p) => `${p} `).join('');
  for (const s of u.selectors) out += s.root ? describeSelector(s, universe) : ` (${describeSelector(s, universe)})`;
  return out;
}
