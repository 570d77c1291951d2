// Writes docs/mutation.md from Stryker's JSON report (issue 20): `npx tsx test/mutation/doc.ts
// [--wall-s N]` after `npm run mutation -- --mutate <files>`. Results accumulate per file in
// test/mutation/results.json (a run replaces the rows of the files it mutated), so one folder can be
// run at a time. Surviving mutants listed in test/mutation/equivalent.json (with a one-line reason)
// are shown as equivalent; every other survivor is listed as still to be killed.
// `--report PATH` reads another Stryker JSON report than reports/mutation/mutation.json. `--rerun` folds a
// run restricted to the survivors' lines (`--mutate file:L1-L2`): each earlier survivor that the re-run
// killed (same line, mutator and replacement) moves to killed; the file's other figures stay.
// `--render-only` rewrites the page from results.json and equivalent.json without reading a report.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

interface StrykerMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';
  location: { start: { line: number; column: number }; end?: { line: number; column: number } };
}
interface StrykerReport {
  projectRoot?: string;
  files: Record<string, { mutants: StrykerMutant[]; source: string }>;
}
interface Survivor {
  status?: 'Survived' | 'NoCoverage';
  line: number;
  /** Start column (Stryker's): tells apart mutants of one line with the same replacement. */
  column?: number;
  /** End line:column (Stryker's): tells apart two mutants of one start with the same mutator and replacement
   * (`a && b` → `true` for `a` alone or for the whole condition). */
  end?: string;
  mutator: string;
  original: string;
  replacement: string;
}
interface FileRow {
  file: string;
  mutants: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  survivors: Survivor[];
  date: string;
  wallSeconds: number | null;
  /** The machine's 1-minute load average at the end of the run (other work shares the 2 cores). */
  load?: number | null;
  /** Date and wall seconds of a survivors-only re-run folded in with --rerun. */
  rerun?: { date: string; wallSeconds: number | null; killed: number };
}
interface Equivalent {
  file: string;
  line: number;
  column?: number;
  /** End "line:column", when two mutants share the start, the mutator and the replacement. */
  end?: string;
  replacement: string;
  reason: string;
}

const ROOT = resolve(import.meta.dirname, '../..');
const DEFAULT_REPORT = resolve(ROOT, 'reports/mutation/mutation.json');
const RESULTS = resolve(ROOT, 'test/mutation/results.json');
const EQUIVALENT = resolve(ROOT, 'test/mutation/equivalent.json');
const DOC = resolve(ROOT, 'docs/mutation.md');

function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

function rowsOf(report: StrykerReport, date: string, wallSeconds: number | null, load: number | null): FileRow[] {
  return Object.entries(report.files).map(([name, f]) => {
    const lines = f.source.split('\n');
    const count = (...s: StrykerMutant['status'][]) => f.mutants.filter((m) => s.includes(m.status)).length;
    const survivors = f.mutants
      .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
      .map((m) => ({
        status: m.status as 'Survived' | 'NoCoverage',
        line: m.location.start.line,
        column: m.location.start.column,
        ...(m.location.end ? { end: `${m.location.end.line}:${m.location.end.column}` } : {}),
        mutator: m.mutatorName,
        original: (lines[m.location.start.line - 1] ?? '').trim(),
        replacement: (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80),
      }));
    return {
      file: relative(ROOT, resolve(report.projectRoot ?? ROOT, name)),
      mutants: f.mutants.filter((m) => !['CompileError', 'RuntimeError', 'Ignored', 'Pending'].includes(m.status)).length,
      killed: count('Killed'),
      timeout: count('Timeout'),
      survived: count('Survived'),
      noCoverage: count('NoCoverage'),
      survivors,
      date,
      wallSeconds,
      load,
    };
  });
}

const pct = (n: number, d: number) => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)} %`);
const md = (s: string) => s.replace(/\|/g, '\\|').replace(/`/g, "'");

function render(rows: FileRow[], equivalent: Equivalent[]): string {
  const isEq = (r: FileRow, s: Survivor) => equivalent.find(
      (e) => e.file === r.file && e.line === s.line && e.replacement === s.replacement && (e.column === undefined || e.column === s.column) && (e.end === undefined || e.end === s.end),
    );
  const out = [
    '# Mutation testing',
    '',
    'Stryker 9 with the vitest runner mutates the safety-critical engine (`engine/sentinel/`,',
    '`engine/redis/replication/`, `engine/check/`) and runs the focused rule tests of',
    '`vitest.mutation.config.ts` against each mutant (per-test coverage: a mutant runs only the tests',
    'that executed its code). It is not part of CI; run it by folder or file:',
    '',
    '```sh',
    'nice -n 15 npm run mutation -- --mutate engine/sentinel/votes.ts --concurrency 1   # one file',
    'npm run mutation                                        # all three folders (hours on 2 cores)',
    'npx tsx test/mutation/doc.ts --wall-s 907 --load 17.3   # fold the report into this page',
    "npm run mutation -- --mutate 'engine/sentinel/select.ts:36-43' # re-run only the survivors' lines",
    'npx tsx test/mutation/doc.ts --rerun --wall-s 300       # fold that re-run into the file\'s row',
    '```',
    '',
    'Reports: `reports/mutation/mutation.json` and `reports/mutation/mutation.html`. Score = (killed +',
    'timed out) / valid mutants; "equivalent" survivors change no behaviour a test could observe and are',
    'listed below with the reason.',
    '',
    'The machine has 2 cores shared with other work: the wall time depends on the load average (last',
    'column, 1-minute figure at the end of the run). The mutation config runs vitest with `isolate: false`:',
    "re-importing the engine for each test file was most of a mutant's time. A `+ N` in the wall",
    'column is a survivors-only re-run (`--rerun`), which may have covered several files at once.',
    '',
    '| file | mutants | killed | timed out | survived | no coverage | equivalent | score | score without equivalent | run | wall s (2 cores) | load |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of [...rows].sort((a, b) => a.file.localeCompare(b.file))) {
    const eq = r.survivors.filter((s) => isEq(r, s)).length;
    const detected = r.killed + r.timeout;
    out.push(
      `| ${r.file} | ${r.mutants} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${eq} | ${pct(detected, r.mutants)} | ${pct(detected, r.mutants - eq)} | ${r.date}${r.rerun ? ` (survivors re-run ${r.rerun.date}: ${r.rerun.killed} killed)` : ''} | ${r.wallSeconds ?? '—'}${r.rerun?.wallSeconds ? ` + ${r.rerun.wallSeconds}` : ''} | ${r.load ?? '—'} |`,
    );
  }
  const eqRows = rows.flatMap((r) => r.survivors.filter((s) => isEq(r, s)).map((s) => ({ r, s, e: isEq(r, s)! })));
  out.push('', '## Equivalent mutants', '');
  if (eqRows.length === 0) out.push('None.');
  for (const { r, s, e } of eqRows) out.push(`- \`${r.file}:${s.line}\` ${s.mutator} \`${md(s.original)}\` → \`${md(s.replacement)}\`: ${e.reason}`);
  const open = rows.flatMap((r) => r.survivors.filter((s) => !isEq(r, s)).map((s) => ({ r, s })));
  out.push('', '## Surviving mutants still to kill', '');
  if (open.length === 0) out.push('None in the files run so far.');
  for (const { r, s } of open) out.push(`- \`${r.file}:${s.line}\` ${s.mutator} \`${md(s.original)}\` → \`${md(s.replacement)}\``);
  return `${out.join('\n')}\n`;
}

/** Moves the survivors a restricted re-run killed (or timed out) to killed; the row as it was when the re-run left the file out. */
function foldRerun(row: FileRow, report: StrykerReport, date: string, wallSeconds: number | null): FileRow {
  const file = Object.entries(report.files).find(([name]) => relative(ROOT, resolve(report.projectRoot ?? ROOT, name)) === row.file)?.[1];
  if (!file) return row;
  const norm = (m: StrykerMutant) => (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80);
  const detected = (s: Survivor) =>
    file.mutants.some(
      (m) =>
        (m.status === 'Killed' || m.status === 'Timeout') &&
        m.location.start.line === s.line &&
        (s.column === undefined || m.location.start.column === s.column) &&
        (s.end === undefined || (m.location.end !== undefined && `${m.location.end.line}:${m.location.end.column}` === s.end)) &&
        m.mutatorName === s.mutator &&
        norm(m) === s.replacement,
    );
  const killedNow = row.survivors.filter(detected);
  const prev = row.rerun?.date === date ? row.rerun : { killed: 0, wallSeconds: 0 };
  const rerunInfo = { date, wallSeconds: (prev.wallSeconds ?? 0) + (wallSeconds ?? 0) || null, killed: prev.killed + killedNow.length };
  const noCoverage = killedNow.filter((s) => s.status === 'NoCoverage').length;
  return {
    ...row,
    killed: row.killed + killedNow.length,
    survived: row.survived - (killedNow.length - noCoverage),
    noCoverage: row.noCoverage - noCoverage,
    survivors: row.survivors.filter((s) => !detected(s)),
    rerun: rerunInfo,
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const reportAt = args.indexOf('--report');
  const REPORT = reportAt >= 0 ? resolve(args[reportAt + 1] ?? '') : DEFAULT_REPORT;
  const rerun = args.includes('--rerun');
  const loadAt = args.indexOf('--load');
  const load = loadAt >= 0 ? Number(args[loadAt + 1]) : null;
  const wallAt = args.indexOf('--wall-s');
  const wallSeconds = wallAt >= 0 ? Number(args[wallAt + 1]) : null;
  if (wallAt >= 0 && !Number.isFinite(wallSeconds)) {
    console.error('usage: tsx test/mutation/doc.ts [--report PATH] [--rerun] [--wall-s SECONDS] [--load LOADAVG]');
    process.exit(2);
  }
  const rows: FileRow[] = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : [];
  if (!args.includes('--render-only') && existsSync(REPORT)) {
    const report = JSON.parse(readFileSync(REPORT, 'utf8')) as StrykerReport;
    const date = new Date().toISOString().slice(0, 10);
    for (const fresh of rowsOf(report, date, wallSeconds, load)) {
      const at = rows.findIndex((r) => r.file === fresh.file);
      if (rerun) {
        if (at < 0) throw new Error(`--rerun: ${fresh.file} has no earlier full run in test/mutation/results.json`);
        rows[at] = foldRerun(rows[at]!, report, date, wallSeconds);
      } else if (at >= 0) rows[at] = fresh;
      else rows.push(fresh);
    }
    writeAtomic(RESULTS, `${JSON.stringify(rows, null, 2)}\n`);
  }
  const equivalent: Equivalent[] = existsSync(EQUIVALENT) ? JSON.parse(readFileSync(EQUIVALENT, 'utf8')) : [];
  writeAtomic(DOC, render(rows, equivalent));
  console.log(`docs/mutation.md: ${rows.length} file(s)`);
}

main();
