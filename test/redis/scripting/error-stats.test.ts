// Error statistics of scripts (Tcl unit scripting "Consistent eval error reporting"): an error of a
// command run by a script, or a refusal of scriptCall, is counted once, when it happens, whether the
// script raises it (redis.call), catches it (redis.pcall) or returns it; the EVAL then counts as failed
// only when its own reply is an error. Compared with the real redis-server 7.0.15 after every script.
import { expect, it } from 'vitest';
import { describeWithRealRedis, useRealAndSim } from '../differential/pair.ts';

const CMDS = ['set', 'select', 'eval', 'eval_ro', 'geoadd', 'get'];

/** total_error_replies, the errorstats lines and calls/rejected/failed of the commands above. */
function stats(info: unknown): string[] {
  const lines = String(info).split('\r\n');
  const out = lines.filter((l) => l.startsWith('total_error_replies:') || l.startsWith('errorstat_'));
  for (const c of CMDS) {
    const l = lines.find((x) => x.startsWith(`cmdstat_${c}:`));
    if (l) out.push(l.replace(/usec=[^,]*,usec_per_call=[^,]*,/, ''));
  }
  return out;
}

const pcallIs = (cmd: string, want: string) =>
  `local t = redis.pcall(${cmd}) if t['err'] == "${want}" then return 1 else return 0 end`;

/** Each script runs after CONFIG RESETSTAT; maxmemory is 1 for the first three. */
const SCRIPTS: { oom?: boolean; argv: string[] }[] = [
  { oom: true, argv: ['EVAL', "return redis.call('set','x','y')", '1', 'x'] },
  { oom: true, argv: ['EVAL', pcallIs("'set','x','y'", "OOM command not allowed when used memory > 'maxmemory'."), '1', 'x'] },
  { oom: true, argv: ['EVAL', "return redis.pcall('set','x','y')", '1', 'x'] },
  { argv: ['EVAL', "return redis.call('select',99)", '0'] },
  { argv: ['EVAL', pcallIs("'select',99", 'ERR DB index is out of range'), '0'] },
  { argv: ['EVAL', "return redis.pcall('select',99)", '0'] },
  { argv: ['EVAL_RO', "return redis.call('set','x','y')", '1', 'x'] },
  { argv: ['EVAL_RO', pcallIs("'set','x','y'", 'ERR Write commands are not allowed from read-only scripts.'), '1', 'x'] },
  { argv: ['EVAL', "return redis.call('GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo')", '1', 'x'] },
  { argv: ['EVAL', "return redis.call('get')", '0'] },
  { argv: ['EVAL', "return redis.call('nosuch')", '0'] },
  { argv: ['EVAL', "return redis.error_reply('MY_ERR_CODE custom msg')", '0'] },
  { argv: ['EVAL', "error('raised')", '0'] },
];

describeWithRealRedis('script error statistics: real redis-server 7.0.15 vs the simulator', () => {
  const pair = useRealAndSim('error-stats-diff');

  it('the same error and command statistics after each script', async () => {
    const diffs: string[] = [];
    const both = async (argv: string[]) => [await pair.real.cmd(argv), pair.sim.cmd(0, argv)];
    await both(['SET', 'Sicily', '1']);
    for (const { oom, argv } of SCRIPTS) {
      await both(['CONFIG', 'SET', 'maxmemory', oom ? '1' : '0']);
      await both(['CONFIG', 'RESETSTAT']);
      const [r, s] = await both(argv);
      if (JSON.stringify(r) !== JSON.stringify(s)) diffs.push(`${argv[1]}\n  real: ${JSON.stringify(r)}\n  sim:  ${JSON.stringify(s)}`);
      const [ri, si] = await both(['INFO', 'all']);
      const rs = stats(ri).join(' ');
      const ss = stats(si).join(' ');
      if (rs !== ss) diffs.push(`${argv[1]}\n  real: ${rs}\n  sim:  ${ss}`);
    }
    await both(['CONFIG', 'SET', 'maxmemory', '0']);
    expect(diffs.join('\n')).toBe('');
  });
});
