// Benchmark figure reporting: one line per figure, or one JSON object per figure with --json.
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
