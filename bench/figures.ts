// Benchmark figure reporting: one line per figure, or one JSON object per figure with --json.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** e.g. ">= 0.6" */
  target: string;
}

export function report(f: Figure, json: boolean): void {
  if (json) console.log(JSON.stringify(f));
  else {
    const v = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(f.value < 10 ? 3 : 1);
    console.log(`${f.name.padEnd(34)} ${v.padStart(14)} ${f.unit.padEnd(14)} target ${f.target}${meets(f) ? '' : '   (MISSED)'}`);
  }
}

export function meets(f: Figure): boolean {
  const m = /^(>=|<=|<|>)\s*([\d.]+)/.exec(f.target);
  if (!m) return true;
  const t = Number(m[2]);
  switch (m[1]) {
    case '>=':
      return f.value >= t;
    case '>':
      return f.value > t;
    case '<=':
      return f.value <= t;
    default:
      return f.value < t;
  }
}

/** Wall-clock in ms (bench code only; engine/ never reads the wall clock). */
export const wallMs = (): number => performance.now();

/** The figures a bench module measures in a child process (`<module> --child` prints them as JSON lines). */
export function childFigures(moduleUrl: string): Figure[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(moduleUrl), '--child'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Figure);
}
