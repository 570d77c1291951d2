// Determinism (design.md, "Determinism contract"): the same case from the same seed gives the same trace
// hash. The run itself is the caller's (engine/check/property); this compares the two outcomes.
import type { TraceRecord } from '../trace/types.ts';
import { result, type CheckResult, type Violation } from './types.ts';

export interface RunFingerprint {
  sha256: string;
  /** Records appended (the hash covers them all). */
  count: number;
  /** Optional: the records, to point at the first difference. */
  records?: readonly TraceRecord[];
}

export function checkDeterminism(first: RunFingerprint, second: RunFingerprint, seed: string): CheckResult {
  const violations: Violation[] = [];
  if (first.sha256 !== second.sha256) {
    let where = '';
    if (first.records && second.records) {
      const a = first.records;
      const b = second.records;
      const n = Math.min(a.length, b.length);
      for (let i = 0; i < n; i++) {
        const x = JSON.stringify(a[i]);
        const y = JSON.stringify(b[i]);
        if (x !== y) {
          where = `; first difference at record ${i}: ${x.slice(0, 160)} vs ${y.slice(0, 160)}`;
          violations.push({ t: a[i]!.t, message: `replay of seed ${seed} diverged (sha256 ${first.sha256.slice(0, 12)} vs ${second.sha256.slice(0, 12)})${where}` });
          break;
        }
      }
    }
    if (violations.length === 0)
      violations.push({ t: 0, message: `replay of seed ${seed} diverged: sha256 ${first.sha256.slice(0, 12)} (${first.count} records) vs ${second.sha256.slice(0, 12)} (${second.count} records)` });
  }
  return result('determinism', violations, [`sha256 ${first.sha256.slice(0, 16)}… (${first.count} records) replayed from seed ${seed}`]);
}
