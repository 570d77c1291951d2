// Hand-made traces for the viewer's unit tests (no scenario run; this module imports no engine code).
import type { TraceHeader } from '../../engine/trace/types.ts';

/** The header of a hand-made trace with this detail and topology. */
export function handHeader(detail: TraceHeader['detail'], topology: TraceHeader['topology']): TraceHeader {
  return { format: 'sentinel-sim-trace', version: 1, seed: '1', scenario: 'x', epochMs: 0, detail, topology };
}
