// The TCP handshake of the in-memory network: SYN retransmissions on Linux's schedule (1 s, linear for
// tcp_syn_linear_timeouts, then doubling; ETIMEDOUT after tcp_syn_retries), RST for a closed port, and the
// passive side's SYN-ACK retransmissions when the way back is cut (design.md, engine/net).
import type { Host } from '../sim/host.ts';
import type { Micros } from '../sim/time.ts';
import type { Endpoint } from './endpoint.ts';
import { sampleLatency } from './link.ts';
import type { Listener, Network } from './network.ts';
import { synackInterval, synInterval, synMaxRetransmits } from './tcp.ts';

export class Handshake {
  constructor(private readonly net: Network) {}

  /** SYN transmission number `attempt` (0 = the first): arm its RTO, then send it if the way is open. */
  sendSyn(ep: Endpoint, ip: string, port: number, attempt: number): void {
    if (!ep.open || ep.established || ep.peer) return;
    const net = this.net;
    const now = net.sched.now;
    const interval = synInterval(attempt, net.tcp);
    const expire = () => {
      ep.synTimer = null;
      if (attempt + 1 > synMaxRetransmits(net.tcp)) net.failConnect(ep, 'timeout');
      else this.sendSyn(ep, ip, port, attempt + 1);
    };
    // armed at the nominal RTO; the timer wheel's lateness is drawn only if it expires (never on a clean connect)
    ep.synTimer = net.sched.at(now + interval, () => {
      const late = net.wheelSlack(interval);
      if (late > 0) ep.synTimer = net.sched.at(net.sched.now + late, expire);
      else expire();
    });
    const from = ep.owner.host;
    const target = net.world.hostFor(ip, port, from);
    // nobody answers for that IP, or the SYN is dropped on the way: the timer retransmits it
    if (!target || !net.reachable(from, target)) return;
    const link = net.linkOf(from, target);
    // a lost SYN costs a whole SYN RTO (1 s), not the data RTO
    if (link.loss > 0 && net.rng.next() < link.loss) return;
    const at = now + sampleLatency(link, net.rng);
    // data queued behind the SYN must not overtake it
    if (at > ep.out.lastAt) ep.out.lastAt = at;
    net.sched.at(at, () => this.synArrives(ep, ip, port));
  }

  private synArrives(ep: Endpoint, ip: string, port: number): void {
    if (!ep.open || ep.established || ep.peer) return;
    const net = this.net;
    const from = ep.owner.host;
    const target = net.world.hostFor(ip, port, from);
    // dropped at the far host's INPUT chain (a cut made while it travelled): the timer retransmits it
    if (!target || !net.reachable(from, target)) return;
    const listener = net.world.listener(ip, port);
    const back = net.linkOf(target, from);
    const replyAt = net.sched.now + sampleLatency(back, net.rng);
    if (!listener) {
      // RST: connection refused, unless the RST is lost on a one-way cut (then the SYN is retried)
      if (net.reachable(target, from)) net.sched.at(replyAt, () => net.failConnect(ep, 'refused'));
      return;
    }
    // a duplicate SYN makes the passive side answer again at once (inet_rtx_syn_ack)
    if (this.synackLost(target, from)) {
      if (!ep.synackTimer) this.armSynack(ep, ip, port, 0);
      return;
    }
    this.establish(ep, listener, target, replyAt);
  }

  /** The SYN-ACK is dropped (cut back) or lost (loss on the way back). */
  private synackLost(target: Host, from: Host): boolean {
    const net = this.net;
    if (!net.reachable(target, from)) return true;
    const back = net.linkOf(target, from);
    return back.loss > 0 && net.rng.next() < back.loss;
  }

  /** SYN_RECV: the passive side retransmits its SYN-ACK (1 s doubling) until tcp_synack_retries, then forgets the request. */
  private armSynack(ep: Endpoint, ip: string, port: number, attempt: number): void {
    const net = this.net;
    const interval = synackInterval(attempt, net.tcp);
    ep.synackTimer = net.sched.at(net.sched.now + interval + net.wheelSlack(interval), () => {
      ep.synackTimer = null;
      if (!ep.open || ep.established || ep.peer || attempt + 1 > net.tcp.synackRetries) return;
      const from = ep.owner.host;
      const target = net.world.hostFor(ip, port, from);
      const listener = net.world.listener(ip, port);
      if (!target || !listener || !target.up) return;
      if (this.synackLost(target, from)) {
        this.armSynack(ep, ip, port, attempt + 1);
        return;
      }
      this.establish(ep, listener, target, net.sched.now + sampleLatency(net.linkOf(target, from), net.rng));
    });
  }

  /** The SYN-ACK gets back: the passive side accepts, the client opens when it arrives. */
  private establish(ep: Endpoint, listener: Listener, target: Host, replyAt: Micros): void {
    const net = this.net;
    this.stop(ep);
    const srv = net.newEndpoint(listener.owner, ep.remote, ep.local, ep.owner.host);
    void target;
    srv.established = true;
    srv.peer = ep;
    ep.peer = srv;
    listener.owner.run(() => {
      if (srv.owner.alive()) listener.accept(srv);
    });
    net.flushPreconnect(ep);
    net.sched.at(replyAt, () => {
      if (!ep.open || ep.established) return;
      ep.established = true;
      net.sched.cancel(ep.deadline);
      ep.deadline = null;
      const h = ep.handlers;
      ep.owner.run(() => {
        if (ep.open && h.onOpen) h.onOpen();
      });
      net.flushPreopen(ep);
    });
  }

  /** Cancel the handshake's timers (established, failed or aborted). */
  stop(ep: Endpoint): void {
    const s = this.net.sched;
    s.cancel(ep.synTimer);
    s.cancel(ep.synackTimer);
    ep.synTimer = null;
    ep.synackTimer = null;
  }
}
