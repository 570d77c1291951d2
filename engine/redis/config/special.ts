/**
 * The handlers of the special parameters, by canonical name.
 */
import {
  latencyPercentilesHandler,
  oomScoreAdjValuesHandler,
  outputBufferLimitHandler,
  saveHandler,
} from './special-lists.ts';
import { bindHandler, dirHandler, notifyKeyspaceEventsHandler, replicaOfHandler } from './special-misc.ts';
import type { SpecialHandler } from './special-types.ts';

export const SPECIAL_HANDLERS: Readonly<Record<string, SpecialHandler<never>>> = {
  dir: dirHandler,
  save: saveHandler,
  'client-output-buffer-limit': outputBufferLimitHandler,
  'oom-score-adj-values': oomScoreAdjValuesHandler,
  'notify-keyspace-events': notifyKeyspaceEventsHandler,
  bind: bindHandler,
  replicaof: replicaOfHandler,
  'latency-tracking-info-percentiles': latencyPercentilesHandler,
} as unknown as Record<string, SpecialHandler<never>>;

export function specialHandler(name: string): SpecialHandler<unknown> {
  const h = SPECIAL_HANDLERS[name];
  if (!h) throw new Error(`no handler for special config '${name}'`);
  return h as unknown as SpecialHandler<unknown>;
}
