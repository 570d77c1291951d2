// Timers that fall due while an application host is paused (SIGSTOP) run at SIGCONT in the order a real Node
// process runs them (bin/guest/worker.ts lateTimersRunNow): one list per duration, the lists by the due time
// of their first timer, each list's expired timers together — not by due time, not by creation. The same
// program runs in the simulation and in a real `node` that stops itself, and both give the same order.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import '../../bin/guest/index.ts';
import { cluster, defineScenario, runScenario, type AppHandle } from '../../scenarios/api/index.ts';

/**
 * Armed at 0: X (1100 ms, due 1100), Y (1000 ms, due 1000), interval I (250 ms: 250, then due 500); at 200:
 * W (1000 ms, due 1200). Stopped at 300, so at resume all four are overdue. By due time: I Y X W; by creation
 * (fake-timers' own order, the interval re-armed at 250): X Y W I; Node: I (its list due 500), then the
 * 1000 ms list Y W, then X.
 */
const PAUSE_MS = 1500;
const program = `
  const t0 = Date.now();
  const log = (n) => say(n + ' ' + (Date.now() - t0 >= 300 ? 'late' : 'on time'));
  setTimeout(() => log('X'), 1100);
  setTimeout(() => log('Y'), 1000);
  const i = setInterval(() => log('I'), 250);
  setTimeout(() => setTimeout(() => log('W'), 1000), 200);
  setTimeout(() => { clearInterval(i); say('end'); }, ${2000 + PAUSE_MS});
`;

function simOrder(): string[] {
  let app: AppHandle | null = null;
  const source = `async (ctx) => { const say = (l) => ctx.log(l); ${program}; await ctx.untilStopped(); }`;
  const fn = new Function(`return (${source});`)() as (ctx: unknown) => unknown;
  const sc = defineScenario({
    name: 'guest-pause-order',
    setup: () => cluster({ replicas: 0, sentinels: 0 }),
    script: (s) => {
      app = s.app('web-1', { host: '10.0.0.9' }, fn);
      s.sleep('0.3s');
      s.pause('web-1');
      s.sleep(`${PAUSE_MS / 1000}s`);
      s.resume('web-1');
      s.sleep('2.5s');
    },
  });
  const r = runScenario(sc);
  expect(r.status).toBe('ok');
  return r.sim.trace.records().flatMap((x) => (x.k === 'log' && x.node === app!.node ? [x.line] : []));
}

/** The program in a real node that SIGSTOPs itself at 300 ms; SIGCONT 1.5 s later. */
function realOrder(): Promise<string[]> {
  const code = `const say = (l) => console.log(l); ${program}; setTimeout(() => { say('stop'); process.kill(process.pid, 'SIGSTOP'); }, 300);`;
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('stop\n') && !out.includes('cont')) {
        out += 'cont\n';
        setTimeout(() => p.kill('SIGCONT'), PAUSE_MS);
      }
    });
    p.once('error', rej);
    p.once('exit', () => res(out.split('\n').filter((l) => l && l !== 'stop' && l !== 'cont')));
  });
}

describe('timers due while the app is paused', () => {
  it('run at resume in Node’s order: by duration list, the lists by their first due time', async () => {
    const sim = simOrder();
    const late = ['I late', 'Y late', 'W late', 'X late'];
    expect(sim.slice(0, 1)).toEqual(['I on time']);
    expect(sim.slice(1, 5)).toEqual(late);
    expect(sim.at(-1)).toBe('end');
    // the same program in a real node process, stopped and continued by signals
    const real = await realOrder();
    expect(real.slice(0, 5)).toEqual(sim.slice(0, 5));
  }, 180_000);
});
