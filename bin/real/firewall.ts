// Network faults of real runs as iptables rules on the loopback, in a chain of this process
// (SENTINEL_SIM_<pid>) jumped to from INPUT for `-i lo` packets: every rule names two of our aliases (or one,
// for a host that is down), so nothing else on the machine is touched. Packets are dropped on INPUT, not
// OUTPUT: a DROP in OUTPUT fails the sender's send() with EPERM at once, which no real network does, whereas a
// packet lost on its way in is retransmitted by TCP until the cut heals — as in the simulator.
// Without root or iptables, network steps are skipped (the caller reports them).
import { execFile, execFileSync } from 'node:child_process';
import { ALIAS_PREFIX } from './config.ts';

export const CHAIN_PREFIX = 'SENTINEL_SIM_';

/** One rule of our chain, as iptables arguments after `-A <chain>`. */
export type Rule = string[];

function ipt(args: string[]): string {
  return execFileSync('iptables', ['-w', '5', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 15_000 });
}

function tryIpt(args: string[]): boolean {
  try {
    ipt(args);
    return true;
  } catch {
    return false;
  }
}

/** Whether a process exists (EPERM: it exists but is someone else's). */
export const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Whether iptables can be used here; the reason when not. */
export function firewallAvailability(): { ok: true } | { ok: false; reason: string } {
  if (process.env.SENTINEL_SIM_REAL_IPTABLES === 'off') return { ok: false, reason: 'iptables turned off (SENTINEL_SIM_REAL_IPTABLES=off)' };
  if (process.platform !== 'linux') return { ok: false, reason: 'iptables is Linux only' };
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return { ok: false, reason: 'not root (iptables needs root)' };
  try {
    ipt(['-S', 'INPUT']);
    return { ok: true };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') return { ok: false, reason: 'iptables is not installed (apt-get install iptables)' };
    return { ok: false, reason: `iptables does not work here: ${(err.stderr ?? err.message).toString().trim().split('\n')[0]}` };
  }
}

/** Chains of earlier runs whose process is gone (a crash, kill -9): unhooked, flushed and deleted. Returns their names. */
export function removeStaleChains(): string[] {
  let listing: string;
  try {
    listing = ipt(['-S']);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const m of listing.matchAll(new RegExp(`^-N (${CHAIN_PREFIX}(\\d+))$`, 'gm'))) {
    const pid = Number(m[2]);
    if (pid === process.pid || pidAlive(pid)) continue;
    dropChain(m[1]!);
    removed.push(m[1]!);
  }
  return removed;
}

function dropChain(chain: string): void {
  // every jump to it, however many
  while (tryIpt(['-D', 'INPUT', '-i', 'lo', '-j', chain]));
  tryIpt(['-F', chain]);
  tryIpt(['-X', chain]);
}

export class Firewall {
  readonly chain = `${CHAIN_PREFIX}${process.pid}`;
  private installed = false;
  private current: Rule[] = [];
  private queue: Promise<void> = Promise.resolve();

  /** Create the chain and its jump (first in INPUT, so no earlier ACCEPT bypasses it). */
  install(): void {
    dropChain(this.chain);
    ipt(['-N', this.chain]);
    this.installed = true;
    ipt(['-I', 'INPUT', '1', '-i', 'lo', '-j', this.chain]);
  }

  /**
   * Make the chain hold exactly `rules`: one iptables-restore --noflush transaction (the rules that stay are
   * untouched, the change is atomic, and one process instead of one per rule: a partition of a 6-host case is
   * ~10 rules, and on a loaded machine each iptables process can take a second of the world thread's time);
   * rule by rule with iptables when iptables-restore is missing.
   */
  apply(rules: Rule[]): Promise<void> {
    // one transaction at a time, in call order
    const run = this.queue.then(() => this.applyNow(rules));
    this.queue = run.catch(() => {});
    return run;
  }

  /**
   * Asynchronous: iptables-restore takes 50–300 ms on a loaded machine, and the world thread runs the clients'
   * workloads, which the simulator does not stop while a fault is applied (a synchronous call held every
   * client's replies for that long: a "client outage" at each heal that Redis did not cause).
   */
  private async applyNow(rules: Rule[]): Promise<void> {
    if (!this.installed) return;
    const key = (r: Rule) => r.join(' ');
    const want = new Set(rules.map(key));
    const have = new Set(this.current.map(key));
    const del = this.current.filter((r) => !want.has(key(r)));
    const add = rules.filter((r) => !have.has(key(r)));
    if (del.length + add.length === 0) return;
    const script = ['*filter', ...del.map((r) => `-D ${this.chain} ${r.join(' ')}`), ...add.map((r) => `-A ${this.chain} ${r.join(' ')}`), 'COMMIT', ''].join('\n');
    try {
      await iptablesRestore(script);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      for (const r of del) ipt(['-D', this.chain, ...r]);
      for (const r of add) ipt(['-A', this.chain, ...r]);
    }
    this.current = rules.map((r) => [...r]);
  }

  /** Remove the jump, flush and delete the chain (synchronous: also usable from an exit hook). Idempotent. */
  uninstall(): void {
    if (!this.installed) return;
    this.installed = false;
    this.current = [];
    dropChain(this.chain);
  }
}

/** `iptables-restore --noflush` fed `script`, without blocking the thread. */
function iptablesRestore(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('iptables-restore', ['-w', '5', '--noflush'], { encoding: 'utf8', timeout: 15_000 }, (err, _out, stderr) => {
      if (!err) return resolve();
      reject(Object.assign(err, { stderr }));
    });
    child.stdin?.on('error', () => {});
    child.stdin?.end(script);
  });
}

/** A DROP of packets from `a` to `b` (aliases), optionally only a random share `p` of them. */
export function dropRule(a: string | null, b: string | null, p?: number): Rule {
  for (const x of [a, b]) if (x !== null && !x.startsWith(ALIAS_PREFIX)) throw new Error(`not one of our aliases: ${x}`);
  const r: Rule = ['-i', 'lo'];
  if (a) r.push('-s', `${a}/32`);
  if (b) r.push('-d', `${b}/32`);
  if (p !== undefined) r.push('-m', 'statistic', '--mode', 'random', '--probability', p.toFixed(4));
  r.push('-j', 'DROP');
  return r;
}
