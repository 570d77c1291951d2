// The size of a client's query buffer as CLIENT LIST shows it (qbuf / qbuf-free), modelled after
// networking.c readQueryFromClient and server.c clientsCronResizeQueryBuffer: the first read allocates
// PROTO_IOBUF_LEN (an allocation of 20474 usable bytes), a big argument (>= 32 KiB) gets a buffer of
// its own size, and the cron gives the space back: all of it after 2 s idle, or down to the recent
// peak when the buffer is over 32 KiB and more than twice that peak.
import type { Client } from './client.ts';
import type { RedisServer } from './server.ts';

/** sdsalloc of a querybuf made for a PROTO_IOBUF_LEN read, as redis-server 7.0.15 reports it. */
const IOBUF_ALLOC = 20474;
const PROTO_MBULK_BIG_ARG = 32 * 1024;
const PROTO_RESIZE_THRESHOLD = 32 * 1024;

const hooked = new WeakSet<RedisServer>();

/** A request of `size` bytes was read for `c`. */
export function noteQueryRead(s: RedisServer, c: Client, size: number): void {
  if (!hooked.has(s)) {
    hooked.add(s);
    s.cronHooks.push(() => resizeQueryBuffers(s));
  }
  if (size >= PROTO_MBULK_BIG_ARG) c.qbAlloc = Math.max(c.qbAlloc, size);
  else if (c.qbAlloc < IOBUF_ALLOC) c.qbAlloc = IOBUF_ALLOC; // sdsMakeRoomFor(PROTO_IOBUF_LEN)
  if (size > c.qbPeak) c.qbPeak = size;
}

/** clientsCronResizeQueryBuffer for every client (the simulated servers have few). */
function resizeQueryBuffers(s: RedisServer): void {
  const nowSec = Math.floor(s.mstime() / 1000);
  for (const c of s.clients.values()) {
    const used = 0; // between two events every request has been processed
    if (c.qbAlloc - used > 4096) {
      if (nowSec - Math.floor(c.lastInteraction / 1000) > 2) c.qbAlloc = 0;
      else if (c.qbAlloc > PROTO_RESIZE_THRESHOLD && c.qbAlloc / 2 > c.qbPeak) c.qbAlloc = Math.max(used, c.qbPeak);
    }
    c.qbPeak = used;
  }
}
