// Jepsen 2013 (see jepsen-2013.ts) with `min-replicas-to-write 2` and `min-replicas-max-lag 10`: every
// acknowledged write must be on three of the five boxes, a majority.
//
// What it shows: cut off with only n2, n1 acknowledges clients 1–2 until its other replicas' last ACK is
// 10 s old (lag counted in whole seconds), then answers `-NOREPLICAS`: the loss of clients 1–2 is bounded
// by the max-lag window — plus, in runs where the leader's reconfiguration is blocked by the unreachable
// n2 (parallel-syncs 1, replicas walked in dict order, a per-process hash: see jepsen-2013-min-replicas),
// the few seconds after the heal when n4 or n5, still configured as n1's replicas, reconnect to n1 and make
// it writable again until its Sentinels switch. The new master refuses writes too until it has two
// replicas, so the price is availability.
//
// Run (seed 1): 2000 total / 1566 acknowledged / 1175 survivors / 391 acknowledged writes lost (25 %) /
// 0 unacknowledged but present / 434 failed; lost per client c1 101, c2 101 (vs 303 without), c3–c5 63;
// refused with -NOREPLICAS: c1–c2 202 each, c3–c5 10 each.
//
// What to look for: clients 1–2 switching from ok to NOREPLICAS ~10 s after the cut; the accounting note.
import { jepsen2013 } from './jepsen-2013.ts';

export default jepsen2013(2);
