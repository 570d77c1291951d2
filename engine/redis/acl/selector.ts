// Selector rules (ACLSetSelector) and their description (ACLDescribeSelector,
// ACLDescribeSelectorCommandRules) of Redis 7.0.15 acl.c.
import { CATEGORIES, isCategory, type Category } from './categories.ts';
import type { KeyPattern, Selector } from './types.ts';
import { inCategory, lookupIn, type AclCommand, type AclUniverse } from './universe.ts';

/** errno values ACLSetUserStringError turns into texts. */
export type RuleErrno = 'ENOENT' | 'EINVAL' | 'EEXIST' | 'EISDIR' | 'ENODEV' | 'EBADMSG' | 'EALREADY' | 'ECHILD';

export class RuleError extends Error {
  constructor(readonly errno: RuleErrno) {
    super(errno);
  }
}

export function newSelector(root: boolean, allChannels: boolean): Selector {
  return {
    root,
    allKeys: false,
    allChannels,
    allCommands: false,
    future: false,
    allowed: new Set(),
    firstArgs: new Map(),
    patterns: [],
    channels: [],
  };
}

export function copySelector(s: Selector): Selector {
  return {
    ...s,
    allowed: new Set(s.allowed),
    firstArgs: new Map([...s.firstArgs].map(([k, v]) => [k, [...v]])),
    patterns: s.patterns.map((p) => ({ ...p })),
    channels: [...s.channels],
  };
}

const hasSpaces = (s: string): boolean => /[\s\0]/.test(s);

function setBit(s: Selector, c: AclCommand, allow: boolean): void {
  if (allow) s.allowed.add(c.fullname);
  else {
    s.allowed.delete(c.fullname);
    s.allCommands = false;
  }
}

/** ACLChangeSelectorPerm: a container's subcommands follow it. */
export function changePerm(s: Selector, c: AclCommand, allow: boolean): void {
  setBit(s, c, allow);
  s.firstArgs.delete(c.fullname);
  for (const sub of c.subs) setBit(s, sub, allow);
}

function setCategory(s: Selector, cat: Category, allow: boolean, cmds: readonly AclCommand[]): void {
  for (const c of cmds) {
    if (inCategory(c, cat)) changePerm(s, c, allow);
    if (c.subs.length) setCategory(s, cat, allow, c.subs);
  }
}

function setAll(s: Selector, allow: boolean, u: AclUniverse): void {
  s.allowed.clear();
  if (allow) for (const c of u.top()) {
    s.allowed.add(c.fullname);
    for (const sub of c.subs) s.allowed.add(sub.fullname);
  }
  s.allCommands = allow;
  s.future = allow;
  s.firstArgs.clear();
}

function addKeyPattern(s: Selector, op: string): void {
  if (s.allKeys) throw new RuleError('EEXIST');
  let read = true;
  let write = true;
  let offset = 1;
  if (op[0] === '%') {
    read = write = false;
    for (; offset < op.length; offset++) {
      const ch = op[offset]!.toUpperCase();
      if (ch === 'R' && !read) read = true;
      else if (ch === 'W' && !write) write = true;
      else if (ch === '~') {
        offset++;
        break;
      } else throw new RuleError('EINVAL');
    }
  }
  const pattern = op.slice(offset);
  if (hasSpaces(pattern)) throw new RuleError('EINVAL');
  const same = s.patterns.find((p) => p.pattern === pattern);
  if (same) {
    same.read ||= read;
    same.write ||= write;
  } else s.patterns.push({ pattern, read, write });
  s.allKeys = false;
}

function addCommand(s: Selector, name: string, u: AclUniverse): void {
  const bar = name.lastIndexOf('|');
  if (bar < 0) {
    const c = lookupIn(u, name);
    if (!c) throw new RuleError('ENOENT');
    changePerm(s, c, true);
    return;
  }
  const base = lookupIn(u, name.slice(0, bar));
  const sub = name.slice(bar + 1);
  if (!base) throw new RuleError('ENOENT');
  if (base.parent) throw new RuleError('ECHILD');
  if (sub.length === 0) throw new RuleError('EINVAL');
  if (base.subs.length) {
    const c = lookupIn(u, name);
    if (!c) throw new RuleError('ENOENT');
    changePerm(s, c, true);
    return;
  }
  // +select|0: the first-arg mechanism (logged as deprecated by Redis)
  const list = s.firstArgs.get(base.fullname) ?? [];
  if (!list.some((a) => a.toLowerCase() === sub.toLowerCase())) list.push(sub);
  s.firstArgs.set(base.fullname, list);
}

/** ACLSetSelector: apply one rule; throws RuleError. */
export function applySelectorRule(s: Selector, op: string, u: AclUniverse): void {
  const l = op.toLowerCase();
  if (l === 'allkeys' || l === '~*') {
    s.allKeys = true;
    s.patterns = [];
  } else if (l === 'resetkeys') {
    s.allKeys = false;
    s.patterns = [];
  } else if (l === 'allchannels' || l === '&*') {
    s.allChannels = true;
    s.channels = [];
  } else if (l === 'resetchannels') {
    s.allChannels = false;
    s.channels = [];
  } else if (l === 'allcommands' || l === '+@all') setAll(s, true, u);
  else if (l === 'nocommands' || l === '-@all') setAll(s, false, u);
  else if (op[0] === '~' || op[0] === '%') addKeyPattern(s, op);
  else if (op[0] === '&') {
    if (s.allChannels) throw new RuleError('EISDIR');
    const ch = op.slice(1);
    if (hasSpaces(ch)) throw new RuleError('EINVAL');
    if (!s.channels.includes(ch)) s.channels.push(ch);
    s.allChannels = false;
  } else if (op[0] === '+' && op[1] !== '@') addCommand(s, op.slice(1), u);
  else if (op[0] === '-' && op[1] !== '@') {
    const c = lookupIn(u, op.slice(1));
    if (!c) throw new RuleError('ENOENT');
    changePerm(s, c, false);
  } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
    const cat = op.slice(2);
    if (!isCategory(cat)) throw new RuleError('ENOENT');
    setCategory(s, cat.toLowerCase() as Category, op[0] === '+', u.top());
  } else throw new RuleError('EINVAL');
}

/** sdsCatPatternString. */
export function patternString(p: KeyPattern): string {
  return `${p.read && p.write ? '~' : p.read ? '%R~' : '%W~'}${p.pattern}`;
}

function countCategory(bits: Set<string>, cat: Category, cmds: readonly AclCommand[], acc: { on: number; off: number }): void {
  for (const c of cmds) {
    if (inCategory(c, cat)) {
      if (bits.has(c.fullname)) acc.on++;
      else acc.off++;
    }
    if (c.subs.length) countCategory(bits, cat, c.subs, acc);
  }
}

function describeSingles(s: Selector, fake: Selector, cmds: readonly AclCommand[], out: string[]): void {
  for (const c of cmds) {
    const userbit = s.allowed.has(c.fullname);
    if (userbit !== fake.allowed.has(c.fullname)) {
      out.push(`${userbit ? '+' : '-'}${c.fullname}`);
      changePerm(fake, c, userbit);
    }
    if (c.subs.length) describeSingles(s, fake, c.subs, out);
    const args = s.firstArgs.get(c.fullname);
    if (!userbit && args) for (const a of args) out.push(`+${c.fullname}|${a}`);
  }
}

/** Every command and subcommand's bit is set. */
function allowsEvery(s: Selector, cmds: readonly AclCommand[]): boolean {
  for (const c of cmds) {
    if (!s.allowed.has(c.fullname)) return false;
    if (c.subs.length && !allowsEvery(s, c.subs)) return false;
  }
  return true;
}

/** ACLDescribeSelectorCommandRules: +@all or -@all, best-fit categories, then single commands. */
export function describeCommandRules(s: Selector, u: AclUniverse): string {
  const additive = !s.future;
  // every bit equal to the starting one: no category is a better fit and no single command differs, so the
  // search below would end at once (a Sentinel's config rewrite describes its +@all default user each time)
  if (additive ? s.allowed.size === 0 && s.firstArgs.size === 0 : allowsEvery(s, u.top())) return additive ? '-@all' : '+@all';
  const out: string[] = [additive ? '-@all' : '+@all'];
  const fake = newSelector(false, false);
  setAll(fake, !additive, u);
  const temp = new Set(s.allowed);
  const applied = new Set<Category>();
  for (;;) {
    let best: Category | null = null;
    let mindiff = Number.MAX_SAFE_INTEGER;
    let maxsame = 0;
    for (const cat of CATEGORIES) {
      if (applied.has(cat)) continue;
      const acc = { on: 0, off: 0 };
      countCategory(temp, cat, u.top(), acc);
      const diff = additive ? acc.off : acc.on;
      const same = additive ? acc.on : acc.off;
      if (same > diff && (diff < mindiff || (diff === mindiff && same > maxsame))) {
        best = cat;
        mindiff = diff;
        maxsame = same;
      }
    }
    if (best === null) break;
    out.push(`${additive ? '+' : '-'}@${best}`);
    setCategory(fake, best, additive, u.top());
    const t = newSelector(false, false);
    t.allowed = temp;
    setCategory(t, best, !additive, u.top());
    applied.add(best);
  }
  describeSingles(s, fake, u.top(), out);
  return out.join(' ');
}

/** ACLDescribeSelector: keys, channels, command rules. */
export function describeSelector(s: Selector, u: AclUniverse): string {
  const parts: string[] = [];
  if (s.allKeys) parts.push('~*');
  else for (const p of s.patterns) parts.push(patternString(p));
  if (s.allChannels) parts.push('&*');
  else {
    parts.push('resetchannels');
    for (const c of s.channels) parts.push(`&${c}`);
  }
  parts.push(describeCommandRules(s, u));
  return parts.join(' ');
}
