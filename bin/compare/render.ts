// The text form of a comparison: per fault a table (milestone, simulated band, real band, Redis window,
// verdict) and the verdicts; the windows' reasons as numbered notes under it.
import type { Band, Comparison, MilestoneRow, RowWindow, Verdict, VerdictRow } from './model.ts';

export const MARK: Record<Verdict, string> = { pass: '✓', fail: '✗', 'n/a': 'n/a' };

const num = (x: number) => String(Math.round(x));

/** "1553–1642 (1600)", "1573", "—"; "[2/3]" when only some runs reached it. */
export function formatBand(b: Band): string {
  if (b.of === 0 || b.n === 0) return '—';
  const core = num(b.min!) === num(b.max!) ? num(b.min!) : `${num(b.min!)}–${num(b.max!)} (${num(b.median!)})`;
  return b.n < b.of ? `${core} [${b.n}/${b.of}]` : core;
}

export function formatWindow(w: RowWindow | null, notes: number[] = []): string {
  if (!w) return '';
  const range = w.loMs === w.hiMs ? `+${num(w.loMs)}` : `+${num(w.loMs)}…${num(w.hiMs)}`;
  return `${w.anchor} ${range}${notes.length ? ` [${notes.join(',')}]` : ''}`;
}

const rowVerdict = (r: MilestoneRow) => (r.verdict === 'pass' ? `✓ ${r.how}` : r.verdict === 'fail' ? `✗ ${r.how}` : `n/a${r.how === 'reached in no run' ? '' : ` (${r.how})`}`);

/** Columns padded to their widest cell (by code points). */
function table(rows: string[][], indent = '  '): string[] {
  const len = (s: string) => [...s].length;
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => len(r[i] ?? ''))));
  return rows.map((r) => (indent + r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - len(c)))).join('  ')).trimEnd());
}

function verdictLines(vs: VerdictRow[]): string[] {
  return vs.map((v) => `  ${MARK[v.verdict]} ${v.name}: ${v.detail}`);
}

/** " 127.0.0.1:7003", " box1,C1 | box2,box3,C2" (a partition's groups), or the arguments as JSON. */
function faultText(f: { fault: string; target: string | null; args?: Record<string, unknown> }): string {
  if (f.target) return ` ${f.target}`;
  if (f.fault === 'set-link' && f.args) {
    const a = f.args as { latencyMs?: number; jitter?: { ms?: number }; loss?: number };
    return ` every link: ${a.latencyMs ?? 0} ms${a.jitter?.ms ? ` + ~${a.jitter.ms} ms jitter` : ''}, loss ${Math.round((a.loss ?? 0) * 100)} %`;
  }
  const g = f.args?.groups;
  if (Array.isArray(g) && g.every(Array.isArray)) return ` ${(g as unknown[][]).map((x) => x.join(',')).join(' | ')}`;
  return f.args ? ` ${JSON.stringify(f.args)}` : '';
}

/** "1–40" for consecutive numeric seeds, else the list (shortened). */
function seedsText(seeds: string[]): string {
  const n = seeds.map(Number);
  if (seeds.length > 3 && seeds.every((s) => /^\d+$/.test(s)) && n.every((x, i) => i === 0 || x === n[i - 1]! + 1)) return `${seeds[0]}–${seeds[seeds.length - 1]}`;
  return seeds.length > 8 ? `${seeds.slice(0, 6).join(', ')}, … ${seeds[seeds.length - 1]}` : seeds.join(', ');
}

export function renderComparison(c: Comparison): string[] {
  const out: string[] = [];
  const sims = c.runs.filter((r) => r.kind === 'sim');
  const reals = c.runs.filter((r) => r.kind === 'real');
  const realWhat = reals.length === 0 ? 'no real runs' : `${reals.length} real run${reals.length === 1 ? '' : 's'} (${c.realSource}${c.redisVersion ? `, Redis ${c.redisVersion}` : ''})`;
  out.push(`compare ${c.scenario}: ${sims.length} simulated seed${sims.length === 1 ? '' : 's'} (${seedsText(sims.map((r) => r.seed))}) vs ${realWhat}`);
  for (const r of c.runs) {
    if (r.status !== 'ok') out.push(`  note: ${r.label} ended ${r.status}${r.error ? `: ${r.error}` : ''}`);
    for (const s of r.skipped ?? []) out.push(`  note: ${r.label} skipped: ${s}`);
  }
  const notes: string[] = [];
  const noteOf = (w: RowWindow | null): number[] =>
    (w?.reasons ?? []).map((r) => {
      const i = notes.indexOf(r);
      if (i >= 0) return i + 1;
      notes.push(r);
      return notes.length;
    }).sort((a, b) => a - b);
  const header = ['milestone', `simulated (${sims.length})`, `real (${reals.length})`, 'Redis window', 'verdict'];
  const rowCells = (r: MilestoneRow) => [r.label, formatBand(r.sim), reals.length ? formatBand(r.real) : '—', formatWindow(r.window, noteOf(r.window)), rowVerdict(r)];
  if (c.segments.length === 0) out.push('', 'no fault in the runs (kill, pause, host-down, partition, isolate, block, sentinel-failover, clock-jump, FAILOVER, CLIENT PAUSE, a degrading set-link): no milestones to compare');
  for (const s of c.segments) {
    out.push('');
    const target = faultText(s.fault);
    out.push(`after fault ${s.index}: ${s.fault.fault}${target}${s.oldMaster ? ` (master then: ${s.oldMaster})` : ''} — ms after the fault, min–max (median)`);
    out.push(...table([header, ...s.rows.map(rowCells)]));
    out.push(...verdictLines(s.verdicts));
  }
  if (c.rows.length > 0) {
    out.push('', 'whole run');
    out.push(...table([['', `simulated (${sims.length})`, `real (${reals.length})`, '', 'verdict'], ...c.rows.map(rowCells)]));
  }
  out.push('', 'final state');
  out.push(...verdictLines(c.verdicts));
  if (notes.length > 0) {
    out.push('', `Redis 7.0.15 timer windows (src/sentinel.c; ± ${c.slackMs} ms slack; a tick is 1000/hz ms, hz = 10 + rand() % 10):`);
    notes.forEach((n, i) => out.push(`  [${i + 1}] ${n}`));
  }
  out.push('');
  out.push(c.ok ? 'result: every verdict holds' : `result: ${c.failed} verdict${c.failed === 1 ? '' : 's'} failed`);
  return out;
}
