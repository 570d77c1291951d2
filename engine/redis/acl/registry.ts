// The users table of one process (Users, DefaultUser, ACLLog of Redis 7.0.15 acl.c): creation,
// SETUSER staging, authentication, loading from config lines and the ACL file, saving.
import { passwordHash } from '../config/users.ts';
import { AclLog } from './log.ts';
import { RuleError } from './selector.ts';
import type { AclEnv, User } from './types.ts';
import { applyUserRule, cloneUser, copyUserInto, describeUser, mergeSelectorArgs, newUser, ruleErrorText } from './user.ts';

const hasSpaces = (s: string): boolean => /[\s\0]/.test(s);

export class Acl {
  /** By name; listed in byte order (the rax's order). */
  private users = new Map<string, User>();
  readonly log = new AclLog();
  readonly defaultUser: User;

  constructor(readonly env: AclEnv) {
    this.defaultUser = this.createDefault();
    this.users.set('default', this.defaultUser);
  }

  /** ACLCreateDefaultUser. */
  private createDefault(): User {
    const u = newUser('default', this.env);
    for (const r of ['+@all', '~*', '&*', 'on', 'nopass']) applyUserRule(u, r, this.env);
    return u;
  }

  get(name: string): User | undefined {
    return this.users.get(name);
  }

  /** Users in byte order of their names. */
  all(): User[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** ACLStringSetUser: stage on a copy, apply all or nothing. Returns the error text or null. */
  setUser(name: string, rules: readonly string[], onChange?: (next: User, original: User) => void): string | null {
    const merged = mergeSelectorArgs(rules);
    if ('unmatched' in merged) return `Unmatched parenthesis in acl selector starting at '${rules[merged.unmatched]}'.`;
    const existing = this.users.get(name);
    const temp = existing ? cloneUser(existing) : newUser(name, this.env);
    for (const op of merged.args) {
      try {
        applyUserRule(temp, op, this.env);
      } catch (e) {
        if (!(e instanceof RuleError)) throw e;
        return `Error in ACL SETUSER modifier '${op}': ${ruleErrorText(e.errno)}`;
      }
    }
    if (existing) {
      onChange?.(temp, existing);
      copyUserInto(existing, temp);
    } else this.users.set(name, temp);
    return null;
  }

  /** raxRemove; the caller kills the user's clients. */
  delete(name: string): User | null {
    const u = this.users.get(name);
    if (!u || name === 'default') return null;
    this.users.delete(name);
    return u;
  }

  /** ACLCheckUserCredentials. */
  checkCredentials(name: string, password: string): boolean {
    const u = this.users.get(name);
    if (!u || u.disabled) return false;
    if (u.nopass) return true;
    return u.passwords.includes(passwordHash(password));
  }

  /** authRequired: the default user needs a password or is off. */
  authRequired(): boolean {
    return !this.defaultUser.nopass || this.defaultUser.disabled;
  }

  /** ACLUpdateDefaultUserPassword (requirepass). */
  setDefaultPassword(password: string | null): void {
    applyUserRule(this.defaultUser, 'resetpass', this.env);
    applyUserRule(this.defaultUser, password ? `>${password}` : 'nopass', this.env);
  }

  /**
   * ACLLoadConfiguredUsers: the `user` lines of the config file (name, rules...). Returns the log
   * lines to write (warnings, notices) and whether loading failed.
   */
  loadConfigured(lines: readonly (readonly string[])[]): { logs: [level: '#' | '*', line: string][]; failed: boolean } {
    const logs: [level: '#' | '*', line: string][] = [];
    for (const [name, ...rules] of lines) {
      if (hasSpaces(name!)) {
        logs.push(['#', 'Spaces not allowed in ACL usernames']);
        return { logs, failed: true };
      }
      let u = this.users.get(name!);
      if (!u) {
        u = newUser(name!, this.env);
        this.users.set(name!, u);
      } else applyUserRule(u, 'reset', this.env);
      const merged = mergeSelectorArgs(rules);
      for (const r of 'args' in merged ? merged.args : rules) {
        try {
          applyUserRule(u, r, this.env);
        } catch (e) {
          if (!(e instanceof RuleError)) throw e;
          logs.push(['#', `Error loading ACL rule '${r}' for the user named '${name}': ${ruleErrorText(e.errno)}`]);
          return { logs, failed: true };
        }
      }
      if (u.disabled)
        logs.push(['*', `The user '${name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`]);
    }
    return { logs, failed: false };
  }

  /**
   * ACLLoadFromFile: all or nothing. Returns null when loaded, else the error text; `replaced` gets
   * the users that were dropped or replaced (their clients are killed by the caller).
   */
  loadFile(text: string | null, filename: string, openError: string, replaced?: (old: User) => void): string | null {
    if (text === null) return `Error loading ACLs, opening file '${filename}': ${openError}`;
    const next = new Map<string, User>();
    let errors = '';
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      const linenum = i + 1;
      if (line === '') continue;
      const argv = line.split(' ').filter((x) => x.length > 0);
      if (argv.length === 0) continue;
      if (argv[0] !== 'user' || argv.length < 2) {
        errors += `${filename}:${linenum} should start with user keyword followed by the username. `;
        continue;
      }
      if (hasSpaces(argv[1]!)) {
        errors += `'${filename}:${linenum}: username '${argv[1]}' contains invalid characters. `;
        continue;
      }
      if (next.has(argv[1]!)) {
        errors += `WARNING: Duplicate user '${argv[1]}' found on line ${linenum}. `;
        continue;
      }
      const u = newUser(argv[1]!, this.env);
      next.set(u.name, u);
      const merged = mergeSelectorArgs(argv.slice(2));
      if ('unmatched' in merged) {
        errors += `${filename}:${linenum}: Unmatched parenthesis in selector definition.`;
        continue;
      }
      let syntaxError = false;
      for (const raw of merged.args) {
        const op = raw.replace(/^[\t\r\n]+|[\t\r\n]+$/g, '');
        try {
          applyUserRule(u, op, this.env);
        } catch (e) {
          if (!(e instanceof RuleError)) throw e;
          if (e.errno === 'ENOENT') errors += `${filename}:${linenum}: Error in applying operation '${op}': ${ruleErrorText(e.errno)}. `;
          else if (!syntaxError) {
            errors += `${filename}:${linenum}: ${ruleErrorText(e.errno)}. `;
            syntaxError = true;
          }
        }
      }
    }
    if (errors.length > 0) return `${errors}WARNING: ACL errors detected, no change to the previously active ACL rules was performed`;
    // the default user object stays (clients point at it); the others are freed with their clients
    const newDefault = next.get('default') ?? this.createDefault();
    for (const u of this.users.values()) if (u !== this.defaultUser) replaced?.(u);
    copyUserInto(this.defaultUser, newDefault);
    next.set('default', this.defaultUser);
    this.users = next;
    return null;
  }

  /** ACLSaveToFile's text: "user <name> <description>" per user, in name order. */
  fileText(): string {
    return this.all().map((u) => `user ${u.name} ${describeUser(u, this.env.universe)}\n`).join('');
  }

  /** ACL LIST lines. */
  list(): string[] {
    return this.all().map((u) => `user ${u.name} ${describeUser(u, this.env.universe)}`);
  }
}
