// Example 2 of the Redis Sentinel documentation with `min-replicas-to-write 1` and
// `min-replicas-max-lag 10` on every server (the script is ex2-isolated-master.ts's).
//
// What it shows: the same partition {box1, C1} | {box2, box3, C2}. M1 keeps acknowledging C1's writes
// only while a replica's last ACK is less than 10 s old; then it answers
// `-NOREPLICAS Not enough good replicas to write.` and C1's writes fail instead of being silently lost.
// After the heal M1 is demoted and its last ~10 s of acknowledged writes are discarded: the loss is
// bounded by the max-lag window (the documentation's trade-off: with both replicas down, the master
// stops accepting writes).
//
// What to look for: C1's ops switching from ok to `NOREPLICAS` about 10 s after the cut; the note
// "workload set-add: …" with far fewer acknowledged writes lost than in ex2-isolated-master.
import { isolatedMaster } from './ex2-isolated-master.ts';

export default isolatedMaster(true);
