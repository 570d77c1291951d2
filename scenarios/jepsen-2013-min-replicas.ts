// Jepsen 2013 (see jepsen-2013.ts) with `min-replicas-to-write 1` and `min-replicas-max-lag 10` on every
// server.
//
// What it shows: in this topology the setting does not bound the loss. The partition {n1, n2} | {n3, n4,
// n5} leaves n1 with its replica n2, so n1 always has one good replica and acknowledges clients 1–2 for the
// whole partition: they lose exactly what they lose without the setting. Worse for availability, when the
// leader's failover reconfigures the unreachable n2 first: with parallel-syncs 1 the leader walks the replicas
// in its dict's order (a hash keyed per process, so it differs from run to run) and sends SLAVEOF to the first
// one not yet reconfigured whose link is up; n2 stuck in RECONF_SENT then holds back the others until the
// failover times out (60 s), and the new master, with no replica, answers its clients with `-NOREPLICAS Not
// enough good replicas to write.` When a reachable replica comes first, the new master is writable at once.
// (With min-replicas-to-write 2, a majority of the five copies, the loss is bounded: jepsen-2013-min-replicas-2.)
//
// Run (seed 1): the leader reconfigures n5, n4, then n2 (S_DOWN: +failover-end 2.2 s after the promotion);
// 2000 total / 2000 acknowledged / 1205 survivors / 795 acknowledged writes lost (40 %), none refused.
// Run (seed 7): n2 first, `+failover-end-for-timeout` 60 s later; 2000 total / 1114 acknowledged / 250 survivors
// / 864 acknowledged writes lost (78 %) / 886 refused with -NOREPLICAS (c1–c2 20, c3–c5 282 each).
//
// What to look for: no `NOREPLICAS` for clients 1–2 during the partition; which replica gets the leader's first
// `+slave-reconf-sent`; when it is n2 (seed 7), the clients 3–5 ops after `+switch-master` failing with
// NOREPLICAS, then `+failover-end-for-timeout` and `+slave-reconf-sent-be` for n4, n5 at ~81 s.
import { jepsen2013 } from './jepsen-2013.ts';

export default jepsen2013(1);
