// Redis 7.0 consumer-group lag / entries-read accounting (t_stream.c streamRangeHasTombstones,
// streamEstimateDistanceFromFirstEverEntry, streamReplyWithCGLag).
import { SCG_INVALID_ENTRIES_READ, type ConsumerGroup } from './stream-cg.ts';
import { ID_MAX, type StreamId } from './stream-id.ts';
import type { Stream } from './stream.ts';

/** streamRangeHasTombstones: may the range [start, end] hold deleted entries? */
export function rangeHasTombstones(s: Stream, start: StreamId | null, end: StreamId | null): boolean {
  if (!s.length || s.maxDeletedId === 0n) return false;
  if (s.firstId > s.maxDeletedId) return false;
  const a = start ?? 0n;
  const b = end ?? ID_MAX;
  return a <= s.maxDeletedId && s.maxDeletedId <= b;
}

/** streamEstimateDistanceFromFirstEverEntry: entries_read for `id`, or -1 when it cannot be known. */
export function estimateDistance(s: Stream, id: StreamId): number {
  if (!s.entriesAdded) return 0;
  if (!s.length && id <= s.lastId) return s.entriesAdded;
  if (id === s.lastId) return s.entriesAdded;
  if (id > s.lastId) return SCG_INVALID_ENTRIES_READ;
  if (s.maxDeletedId === 0n || s.maxDeletedId < s.firstId) {
    if (id < s.firstId) return s.entriesAdded - s.length;
    if (id === s.firstId) return s.entriesAdded - s.length + 1;
  }
  return SCG_INVALID_ENTRIES_READ;
}

/** streamReplyWithCGLag: the lag, or null when it cannot be computed. */
export function groupLag(s: Stream, g: ConsumerGroup): number | null {
  if (!s.entriesAdded) return 0;
  if (g.entriesRead !== SCG_INVALID_ENTRIES_READ && !rangeHasTombstones(s, g.lastId, null)) return s.entriesAdded - g.entriesRead;
  const read = estimateDistance(s, g.lastId);
  return read !== SCG_INVALID_ENTRIES_READ ? s.entriesAdded - read : null;
}

/** The group read past `id` (streamReplyWithRange with a group): entries_read and last_id. */
export function advanceGroup(s: Stream, g: ConsumerGroup, id: StreamId): void {
  if (g.entriesRead !== SCG_INVALID_ENTRIES_READ && !rangeHasTombstones(s, id, null)) g.entriesRead++;
  else if (s.entriesAdded) g.entriesRead = estimateDistance(s, id);
  g.lastId = id;
}
