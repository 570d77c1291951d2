// The guided tour (issue 15 item 9): the tutorial failover, stopped at each milestone with a short caption —
// what Sentinel just decided and why. The milestones and every number in the captions are found in the trace
// (no instant is written here); the tour is a non-modal dialog: → / n next, ← / p back, Escape skips.
import { formatClock } from '../../engine/sim/time.ts';
import type { FaultRecord, ProcRecord } from '../../engine/trace/types.ts';
import type { ReasoningIndex } from '../model/reasoning.ts';
import { selectionView } from '../model/selection.ts';
import type { FrameStore } from '../model/store.ts';
import { masterOf, tallyAt } from '../model/tally.ts';
import { parseEventLine } from '../model/state.ts';
import { button, el } from './dom.ts';

export interface TourStep {
  t: number;
  title: string;
  caption: string;
}

export const TOUR_SCENARIO = 'tutorial-failover';

const sec = (ms: number | undefined) => (ms === undefined ? '?' : `${ms} ms`);

/** The milestones of a failover trace, each with its caption (only those the trace has). */
export function tourSteps(store: FrameStore, ix: ReasoningIndex): TourStep[] {
  const steps: TourStep[] = [];
  const recs = store.records;
  const ev = (name: string, pred: (e: (typeof ix.events)[number]) => boolean = () => true) => ix.events.find((e) => e.event === name && pred(e));
  const kill = recs.find((r): r is FaultRecord => r.k === 'fault' && (r.fault === 'kill' || r.fault === 'crash'));
  const sdown = ev('+sdown', (e) => e.line.split(' ')[1] === 'master' && (!kill || e.t >= kill.t));
  if (!sdown) return steps;
  const victim = parseEventLine(sdown.line)!;
  const sentinelNames = Object.values(store.last.nodes).filter((n) => n.kind === 'sentinel').map((n) => n.name);
  const before = kill ? kill.t - 1 : Math.max(0, sdown.t - 2_000_000);
  const st0 = store.stateAt(before);
  const mv0 = masterOf(st0, sdown.node, victim.master!);
  steps.push({
    t: before,
    title: 'Sentinels watch the master',
    caption: `${sentinelNames.length} Sentinels monitor ${victim.master} at ${victim.addr} (quorum ${mv0?.quorum ?? '?'}). Each PINGs it every second; the bar along a link fills while a PING goes unanswered, towards down-after-milliseconds (${sec(mv0?.downAfterMs)}).`,
  });
  if (kill) steps.push({ t: kill.t, title: 'The master dies', caption: `${kill.target ?? victim.addr} is killed (${kill.fault}). No Sentinel knows yet: they only notice PINGs that get no reply.` });
  steps.push({
    t: sdown.t,
    title: 'Subjectively down',
    caption: `Sentinel ${sdown.node} got no valid reply from ${victim.addr} for more than down-after-milliseconds (${sec(mv0?.downAfterMs)}): +sdown. One Sentinel's opinion is not enough to fail over.`,
  });
  const odown = ix.odowns.find((o) => o.t >= sdown.t);
  if (odown)
    steps.push({
      t: odown.t,
      title: 'Objectively down',
      caption: `Sentinel ${odown.node} counts ${odown.k} Sentinel${odown.k === 1 ? '' : 's'} (itself included) that hold ${victim.master} down, and the quorum is ${odown.q}: +odown #quorum ${odown.k}/${odown.q}. It may now try a failover.`,
    });
  const e = ix.elections.find((x) => x.start >= sdown.t);
  if (!e) return steps;
  const st1 = store.stateAt(e.start);
  const x1 = tallyAt(ix, e, st1, e.start);
  steps.push({
    t: e.start,
    title: 'An election',
    caption: `${e.candidate} starts epoch ${e.epoch} (+new-epoch, +try-failover), votes for itself and asks the ${x1.voters - 1} other Sentinels for their vote (purple arrows). To win it needs ${x1.needed} = max(quorum ${x1.quorum}, majority ${x1.majority} of ${x1.voters}).`,
  });
  // the last vote the candidate heard before its result: the complete tally
  const heard = ix.votes.filter((v) => v.node === e.candidate && v.voterId !== null && v.epoch === e.epoch && v.t >= e.start && v.t <= (e.end ?? Infinity));
  if (heard.length) {
    const t = heard[heard.length - 1].t;
    const x = tallyAt(ix, e, store.stateAt(t), t);
    steps.push({ t, title: 'Votes come back', caption: `Each Sentinel votes for the first candidate that asks in an epoch (green arrows). ${e.candidate} now has ${x.granted.length}/${x.voters} votes, needs ${x.needed}: it counts them at its next check.` });
  }
  if (e.end !== null) {
    const x = tallyAt(ix, e, store.stateAt(e.end), e.end);
    steps.push(
      e.result === 'elected'
        ? { t: e.end, title: 'Elected', caption: `At its next check ${e.candidate} counts ${x.granted.length} votes ≥ ${x.needed}: +elected-leader. Only the leader of epoch ${e.epoch} fails the master over.` }
        : { t: e.end, title: 'Not elected', caption: `${e.candidate} did not get ${x.needed} votes within the election timeout: -failover-abort-not-elected. It will try again after 2 × failover-timeout.` },
    );
  }
  const sel = ix.selections.find((s) => s.t >= e.start && s.node === e.candidate);
  if (sel) {
    const v = selectionView(sel);
    steps.push({ t: sel.t, title: 'Choosing a replica', caption: `The leader filters out replicas that are down, disconnected or stale, then ranks the rest by replica-priority, replication offset, run id: ${v.reason}. See the replica-selection panel.` });
  }
  const promoted = ev('+promoted-slave', (x) => x.t >= e.start);
  if (promoted) steps.push({ t: promoted.t, title: 'Promoted', caption: `After SLAVEOF NO ONE, ${parseEventLine(promoted.line)?.addr ?? 'the replica'} reports role:master in its INFO: +promoted-slave. The leader now reconfigures the other replicas.` });
  const sw = ev('+switch-master', (x) => x.t >= e.start);
  if (sw) {
    const w = sw.line.split(' ');
    const n = ix.events.filter((x) => x.event === '+switch-master' && x.t >= sw.t && x.t < sw.t + 5_000_000).length;
    steps.push({ t: sw.t, title: 'The switch', caption: `${sw.node} announces ${w[4]}:${w[5]} as the master of ${w[1]} (+switch-master); the other Sentinels learn it from its hello messages (+config-update-from): ${n} of ${sentinelNames.length} have switched within 5 s.` });
  }
  const restart = kill ? recs.find((r): r is ProcRecord => r.k === 'proc' && r.ev === 'start' && r.node === (kill.target ?? '') && r.t > kill.t) : undefined;
  if (restart) steps.push({ t: restart.t, title: 'The old master returns', caption: `${restart.node} restarts at ${formatClock(restart.t)}, still believing it is a master: a second master, for now.` });
  const conv = ev('+convert-to-slave', (x) => x.t >= e.start);
  if (conv) steps.push({ t: conv.t, title: 'Converted', caption: `${conv.node} sees ${parseEventLine(conv.line)?.addr ?? 'it'} report role:master with an older configuration, and sends it REPLICAOF the new master: +convert-to-slave. The cluster has one master again.` });
  return steps;
}

/** What the tour needs of the page. */
export interface TourHost {
  readonly store: FrameStore | null;
  readonly session: { plan: { scenario: string; actions: unknown[]; cut: number | null } } | null;
  loadScenario(name: string): boolean;
  seek(t: number): void;
  pause(): void;
  index(store: FrameStore): ReasoningIndex;
}

export class Tour {
  private readonly box: HTMLDialogElement;
  private readonly title: HTMLHeadingElement;
  private readonly caption: HTMLParagraphElement;
  private readonly counter: HTMLSpanElement;
  private readonly back: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private steps: TourStep[] = [];
  private i = 0;

  constructor(
    parent: HTMLElement,
    private readonly host: TourHost,
  ) {
    this.title = el('h2', { id: 'tour-title' });
    this.caption = el('p', { id: 'tour-caption' });
    this.counter = el('span', { className: 'tour-count' });
    this.back = button('‹ back', () => this.go(this.i - 1), { id: 'tour-back', title: 'previous milestone (←)' });
    this.next = button('next ›', () => this.go(this.i + 1), { id: 'tour-next', title: 'next milestone (→)' });
    const skip = button('skip tour', () => this.stop(), { id: 'tour-skip', title: 'close the tour (Escape)' });
    this.box = el('dialog', { id: 'tour', className: 'tour', ariaLabel: 'guided tour' }, this.counter, this.title, this.caption, el('div', { className: 'tour-buttons' }, this.back, this.next, skip));
    this.box.setAttribute('aria-labelledby', 'tour-title');
    this.box.setAttribute('aria-describedby', 'tour-caption');
    this.box.addEventListener('keydown', (e) => this.key(e));
    parent.append(this.box);
  }

  get open(): boolean {
    return this.box.open;
  }

  /** Start on the tutorial failover (loaded if another run is shown; its run in the worker waited for). */
  async start(): Promise<boolean> {
    const s = this.host.session;
    if (!s || s.plan.scenario !== TOUR_SCENARIO || s.plan.actions.length || s.plan.cut !== null) {
      if (!this.host.loadScenario(TOUR_SCENARIO)) return false;
    }
    for (let waited = 0; ; waited += 100) {
      const cur = this.host.session;
      if (cur?.plan.scenario === TOUR_SCENARIO && document.body.dataset.load === 'done' && !document.body.dataset.busy) break;
      if (waited > 60_000 || document.body.dataset.load === 'error') return false;
      await new Promise((r) => setTimeout(r, 100));
    }
    const store = this.host.store;
    if (!store) return false;
    this.steps = tourSteps(store, this.host.index(store));
    if (this.steps.length === 0) return false;
    this.box.show();
    this.go(0);
    this.next.focus();
    return true;
  }

  stop(): void {
    this.box.close();
    document.getElementById('tour-start')?.focus();
  }

  private go(i: number): void {
    if (i >= this.steps.length) {
      this.stop();
      return;
    }
    this.i = Math.max(0, i);
    const s = this.steps[this.i];
    this.host.pause();
    this.host.seek(s.t);
    this.counter.textContent = `${this.i + 1} / ${this.steps.length} · ${formatClock(s.t)}`;
    this.title.textContent = s.title;
    this.caption.textContent = s.caption;
    this.box.dataset.step = String(this.i);
    this.back.disabled = this.i === 0;
    this.next.textContent = this.i === this.steps.length - 1 ? 'finish' : 'next ›';
  }

  private key(e: KeyboardEvent): void {
    if (e.key === 'Escape') this.stop();
    else if (e.key === 'ArrowRight' || e.key === 'n') this.go(this.i + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'p') this.go(this.i - 1);
    else return;
    e.preventDefault();
    e.stopPropagation();
  }
}
