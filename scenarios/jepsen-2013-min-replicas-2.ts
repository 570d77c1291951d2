// Jepsen 2013 (see jepsen-2013.ts) with `min-replicas-to-write 2` and `min-replicas-max-lag 10`: every
// acknowledged write must be on three of the five boxes, a majority.
//
// What it shows: cut off with only n2, n1 acknowledges clients 1–2 until its other replicas' last ACK is
// 10 s old (lag counted in whole seconds), then answers `-NOREPLICAS`: the loss of clients 1–2 is bounded
// by the max-lag window — plus the few seconds after the heal when n4 and n5, still configured as n1's
// replicas (the leader reconfigures them only at its failover timeout), reconnect to n1 and make it
// writable again until its Sentinels switch. The new master n3 refuses writes too until it has two
// replicas, so the price is availability.
//
// Run (seed 1): 2000 total / 673 acknowledged / 250 survivors / 423 acknowledged writes lost (63 %) /
// 0 unacknowledged but present / 1327 failed; lost per client c1 117, c2 117 (vs 327 without), c3–c5 63;
// n1's first refusal 10.1 s after the cut.
//
// What to look for: clients 1–2 switching from ok to NOREPLICAS ~10 s after the cut; the accounting note.
import { jepsen2013 } from './jepsen-2013.ts';

export default jepsen2013(2);
