// Jepsen 2013 (see jepsen-2013.ts) with `min-replicas-to-write 1` and `min-replicas-max-lag 10` on every
// server.
//
// What it shows: in this topology the setting does not bound the loss. The partition {n1, n2} | {n3, n4,
// n5} leaves n1 with its replica n2, so n1 always has one good replica and acknowledges clients 1–2 for the
// whole partition: they lose exactly what they lose without the setting. Worse for availability, in the
// seed-1 run: the new master n3 has no replica until the leader's failover times out (60 s — with
// parallel-syncs 1 the leader sent SLAVEOF to the unreachable n2 first, and n2 stuck in RECONF_SENT
// holds back n4 and n5), so it answers clients 3–5 with `-NOREPLICAS Not enough good replicas to
// write.` from the failover to the end of the writes. (Which replica the leader reconfigures first
// depends on the run; when it is a reachable one, the new master is writable at once.)
// (With min-replicas-to-write 2, a majority of the five copies, the loss is bounded: jepsen-2013-min-replicas-2.)
//
// Run (seed 1): 2000 total / 1093 acknowledged / 250 survivors / 843 acknowledged writes lost (77 %) /
// 0 unacknowledged but present / 907 failed; lost per client c1 327, c2 327, c3–c5 63; refused with
// -NOREPLICAS: c1 0, c2 0, c3–c5 287 each (from 6.3 s after the cut).
//
// What to look for: no `NOREPLICAS` for clients 1–2 during the partition; the clients 3–5 ops after `+switch-master` failing
// with NOREPLICAS; `+failover-end-for-timeout` and `+slave-reconf-sent-be` for n4, n5 at ~81 s.
import { jepsen2013 } from './jepsen-2013.ts';

export default jepsen2013(1);
