// SENTINEL FAILOVER on the cluster of failover-command.ts (one master, three replicas, three Sentinels,
// a client adding 20 members a second): the comparison run.
//
// What it shows: the Sentinel asked elects itself, sends REPLICAOF NO ONE to the best replica
// (`MASTER MODE enabled (user request …)`), announces `+switch-master` as soon as the promotion shows in
// INFO, and reconfigures the others; the old master keeps acknowledging writes until a Sentinel converts it
// (`+convert-to-slave`), and the client follows `+switch-master`.
//
// What to look for: the notes "servers switched after … ms", "Sentinels' +switch-master after … s",
// "longest write gap … s" and the set accounting, against failover-command's.
import { coordinatedFailover } from './failover-command.ts';

export default coordinatedFailover('sentinel-failover');
