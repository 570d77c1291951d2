// COMMAND INFO and COMMAND DOCS of every command and subcommand of Redis 7.0.15, real redis-server against the simulator:
// arity, flags, legacy key range, ACL categories, tips, key specs (notes included), subcommands. Real
// Redis lists a container's subcommands in the order of a dict with a per-process random hash seed (two
// real servers differ), so subcommands are compared as a set.
import { expect, it } from 'vitest';
import { describeWithRealRedis, useRealAndSim } from './differential/pair.ts';
import type { Rep } from './differential/reply.ts';

/** The 10-element COMMAND INFO entry with its subcommands sorted by name. */
function normalise(info: Rep): Rep {
  if (!Array.isArray(info) || info.length !== 10) return info;
  const subs = info[9];
  const sorted = Array.isArray(subs) ? [...subs].map(normalise).sort((a, b) => (String((a as Rep[])[0]) < String((b as Rep[])[0]) ? -1 : 1)) : subs;
  return [...info.slice(0, 9), sorted as Rep];
}

/** A COMMAND DOCS map (flat [k, v, …]) with its subcommands map sorted by name. */
function normaliseDocs(docs: Rep): Rep {
  if (!Array.isArray(docs)) return docs;
  const out = [...docs];
  for (let i = 0; i + 1 < out.length; i += 2) {
    if (out[i] !== '$subcommands' || !Array.isArray(out[i + 1])) continue;
    const flat = out[i + 1] as Rep[];
    const pairs: [Rep, Rep][] = [];
    for (let j = 0; j + 1 < flat.length; j += 2) pairs.push([flat[j]!, normaliseDocs(flat[j + 1]!)]);
    pairs.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
    out[i + 1] = pairs.flat();
  }
  return out;
}

describeWithRealRedis('differential: COMMAND INFO and COMMAND DOCS of every command', () => {
  const p = useRealAndSim('command-info');

  it('equals real Redis 7.0.15 for all of them, and COMMAND COUNT too', async () => {
    const all = (await p.real.cmd(['command'])) as Rep[];
    const names: string[] = [];
    for (const info of all) {
      const i = info as Rep[];
      names.push(String(i[0]).replace(/^\$/, ''));
      if (Array.isArray(i[9])) for (const s of i[9]) names.push(String((s as Rep[])[0]).replace(/^\$/, ''));
    }
    expect(names.length).toBeGreaterThan(360);
    const diffs: string[] = [];
    for (const name of names) {
      const real = normalise(((await p.real.cmd(['command', 'info', name])) as Rep[])[0]!);
      const sim = normalise((p.sim.cmd(0, ['command', 'info', name]) as Rep[])[0]!);
      if (JSON.stringify(real) !== JSON.stringify(sim)) diffs.push(name);
    }
    expect(diffs).toEqual([]);
    const docDiffs: string[] = [];
    for (const name of names) {
      const real = (await p.real.cmd(['command', 'docs', name])) as Rep[];
      const sim = p.sim.cmd(0, ['command', 'docs', name]) as Rep[];
      if (JSON.stringify([real[0], normaliseDocs(real[1]!)]) !== JSON.stringify([sim[0], normaliseDocs(sim[1]!)])) docDiffs.push(name);
    }
    expect(docDiffs).toEqual([]);
    expect(p.sim.cmd(0, ['command', 'count'])).toEqual(await p.real.cmd(['command', 'count']));
  });
});
