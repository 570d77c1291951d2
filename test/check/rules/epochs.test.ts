// epochs-monotonic (engine/check/epochs.ts) at its boundaries: +new-epoch must raise strictly, a keyframe
// may repeat the epoch, a drop is judged against the highest epoch seen (not the last), per Sentinel and
// per master; the figures name the highest epoch. One case that must fail next to one that must pass.
import { describe, expect, it } from 'vitest';
import { checkEpochsMonotonic } from '../../../engine/check/epochs.ts';
import type { TraceRecord } from '../../../engine/trace/types.ts';
import { ev, input, keyframe, R1, S1, S2 } from '../traces.ts';

const check = (recs: TraceRecord[]) => checkEpochsMonotonic(input(recs));
const msgs = (recs: TraceRecord[]) => check(recs).violations.map((v) => v.message);

describe('current epoch', () => {
  it('+new-epoch repeating the epoch fails; raising it passes', () => {
    expect(msgs([ev(1, S1, '+new-epoch', '3'), ev(2, S1, '+new-epoch', '3')])).toEqual([
      'current epoch raised to 3 (+new-epoch) after 3 (+new-epoch at 1.000 s)',
    ]);
    expect(check([ev(1, S1, '+new-epoch', '3'), ev(2, S1, '+new-epoch', '4')]).ok).toBe(true);
  });

  it('a keyframe repeating the epoch passes; one below it fails', () => {
    expect(check([ev(1, S1, '+new-epoch', '3'), keyframe(2, { [S1]: { currentEpoch: 3 } })]).ok).toBe(true);
    const r = check([ev(1, S1, '+new-epoch', '3'), keyframe(2.5, { [S1]: { currentEpoch: 2 } })]);
    expect(r.violations).toEqual([{ t: 2.5e6, node: S1, message: 'current epoch is to 2 (keyframe) after 3 (+new-epoch at 1.000 s)' }]);
  });

  it('a +new-epoch equal to a keyframe epoch fails (it is logged only when the epoch rises)', () => {
    expect(msgs([keyframe(1, { [S1]: { currentEpoch: 5 } }), ev(2, S1, '+new-epoch', '5')])).toEqual([
      'current epoch raised to 5 (+new-epoch) after 5 (keyframe at 1.000 s)',
    ]);
  });

  it('after a drop, the highest epoch stays the reference', () => {
    const recs = [ev(1, S1, '+new-epoch', '5'), keyframe(2, { [S1]: { currentEpoch: 3 } }), keyframe(3, { [S1]: { currentEpoch: 4 } })];
    expect(msgs(recs)).toEqual([
      'current epoch is to 3 (keyframe) after 5 (+new-epoch at 1.000 s)',
      'current epoch is to 4 (keyframe) after 5 (+new-epoch at 1.000 s)',
    ]);
  });

  it('each Sentinel has its own epoch', () => {
    expect(check([ev(1, S1, '+new-epoch', '5'), ev(2, S2, '+new-epoch', '1'), keyframe(3, { [S2]: { currentEpoch: 1 } })]).ok).toBe(true);
  });

  it('server entries of a keyframe are not Sentinels', () => {
    const r = check([keyframe(1, {}, { [R1]: { role: 'master', offset: 9 } })]);
    expect(r.ok).toBe(true);
    expect(r.report).toContain('0 Sentinel(s), 0 +new-epoch event(s), highest epoch 0');
  });

  it('reports the Sentinels, the +new-epoch events and the highest epoch', () => {
    const r = check([ev(1, S1, '+new-epoch', '2'), ev(2, S2, '+new-epoch', '7'), keyframe(3, { [S1]: { currentEpoch: 6 } })]);
    expect(r.report).toBe('epochs-monotonic: ok\n  2 Sentinel(s), 2 +new-epoch event(s), highest epoch 7');
    expect(r.figures).toEqual({ maxEpoch: 7 });
    expect(r.name).toBe('epochs-monotonic');
  });
});

describe('config epoch', () => {
  it('repeating passes, dropping fails, and the highest stays the reference', () => {
    const k = (t: number, c: number) => keyframe(t, { [S1]: { currentEpoch: 9, configEpoch: c } });
    expect(check([k(1, 4), k(2, 4), k(3, 5)]).ok).toBe(true);
    const r = check([k(1, 4), k(2, 2), k(3, 3)]);
    expect(r.violations).toEqual([
      { t: 2e6, node: S1, message: 'config epoch of mymaster went from 4 to 2' },
      { t: 3e6, node: S1, message: 'config epoch of mymaster went from 4 to 3' },
    ]);
  });

  it('each Sentinel has its own config epoch of a master', () => {
    const recs = [keyframe(1, { [S1]: { currentEpoch: 9, configEpoch: 6 }, [S2]: { currentEpoch: 9, configEpoch: 1 } }), keyframe(2, { [S2]: { currentEpoch: 9, configEpoch: 2 } })];
    expect(check(recs).ok).toBe(true);
  });

  it('the reference follows every rise, not only the first record (config epochs too)', () => {
    expect(msgs([ev(1, S1, '+new-epoch', '3'), ev(2, S1, '+new-epoch', '5'), keyframe(3, { [S1]: { currentEpoch: 4 } })])).toEqual([
      'current epoch is to 4 (keyframe) after 5 (+new-epoch at 2.000 s)',
    ]);
    const k = (t: number, c: number) => keyframe(t, { [S1]: { currentEpoch: 9, configEpoch: c } });
    expect(msgs([k(1, 4), k(2, 6), k(3, 5)])).toEqual(['config epoch of mymaster went from 6 to 5']);
  });

  it('an equal keyframe epoch becomes the reference (the message names the latest)', () => {
    const recs = [keyframe(1, { [S1]: { currentEpoch: 5 } }), keyframe(2, { [S1]: { currentEpoch: 5 } }), keyframe(3, { [S1]: { currentEpoch: 4 } })];
    expect(msgs(recs)).toEqual(['current epoch is to 4 (keyframe) after 5 (keyframe at 2.000 s)']);
  });
});
