// The order test files start in. Vitest runs the files that took longest last time first, but without its
// cache (a clean CI checkout) it starts the largest files first, and the slow ones (real processes waiting on
// real Sentinel timers, Chromium) are mostly small: a 40 s file started last keeps one worker busy while the
// other is idle. These start first, longest kind first; the rest follows in Vitest's order.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Files that take tens of seconds of real time (see the durations of a CI run), the longest first. */
const SLOW = [
  /^test\/real\/real\.test\.ts$/,
  /^test\/(compare\/real|real\/confirm)\.test\.ts$/,
  /^test\/guest\/(determinism|examples|real-sentinels)\.test\.ts$/,
  /^test\/cli\/(cli|process)\.test\.ts$/,
  /^test\/check\/(cli|queue\/(distributed|resume|worker-idle))\.test\.ts$/,
  /^test\/gateway\/serve\.test\.ts$/,
  /\.browser\.test\.ts$/,
  /^test\/redis\/(differential|replication\/failover-differential)\.test\.ts$/,
];

export default class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root.replace(/\/$/, '') + '/';
    const rank = (f: TestSpecification) => {
      const path = f.moduleId.startsWith(root) ? f.moduleId.slice(root.length) : f.moduleId;
      const i = SLOW.findIndex((re) => re.test(path));
      return i < 0 ? SLOW.length : i;
    };
    // a stable sort: Vitest's order within a rank
    return sorted.map((f, i) => ({ f, i, r: rank(f) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.f);
  }
}
