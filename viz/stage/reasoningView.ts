// Wires Sentinel's reasoning into the page: one ReasoningIndex per FrameStore (built as the store grows), the
// stage layer, the panel, and the timer lines the inspector shows for a selected Sentinel.
import { formatClock } from '../../engine/sim/time.ts';
import type { FrameStore } from '../model/store.ts';
import { ReasoningIndex } from '../model/reasoning.ts';
import { cadence, countdowns, downTimers, odownForming } from '../model/tally.ts';
import type { ClusterState } from '../model/types.ts';
import { ReasoningLayer, type OverlaySpot } from './reasoning.ts';
import { ReasoningPanel } from './selection.ts';
import type * as d3 from 'd3';

/** Wall-clock ms an election's arrows and an event tag stay on screen after they end. */
const LINGER_WALL_MS = 1500;
/** Wall-clock ms a hello / INFO pulse spreads around its Sentinel. */
const PULSE_WALL_MS = 400;

export class ReasoningView {
  private readonly layer: ReasoningLayer;
  private readonly panel: ReasoningPanel;
  private readonly indexes = new WeakMap<FrameStore, ReasoningIndex>();

  constructor(svg: d3.Selection<SVGSVGElement, unknown, null, undefined>, panel: HTMLElement, spot: OverlaySpot = () => null) {
    this.layer = new ReasoningLayer(svg, spot);
    this.panel = new ReasoningPanel(panel);
  }

  /** The index of a store, brought up to what the store has ingested. */
  index(store: FrameStore): ReasoningIndex {
    let ix = this.indexes.get(store);
    if (!ix) this.indexes.set(store, (ix = new ReasoningIndex({ records: store.records, ingestedCount: () => store.last.next, messageEnds: (i) => store.messageEnds(i) })));
    ix.sync();
    return ix;
  }

  /** The stage layer (every frame). */
  render(store: FrameStore, st: ClusterState, t: number, speed: number): void {
    const ix = this.index(store);
    const perWallMs = 1000 * Math.max(speed, 0.01);
    this.layer.render(ix, st, t, { lingerUs: LINGER_WALL_MS * perWallMs, pulseUs: PULSE_WALL_MS * perWallMs });
  }

  /** The panel (text: the page redraws it a few times a second while playing). */
  renderPanel(store: FrameStore, st: ClusterState, t: number): void {
    this.panel.render(this.index(store), st, t);
  }

  /** The timer lines of a Sentinel for the inspector (empty for other nodes). */
  timerLines(store: FrameStore, st: ClusterState, node: string, t: number): string[] {
    const n = st.nodes[node];
    if (n?.kind !== 'sentinel') return [];
    const ix = this.index(store);
    const lines = ['# Timers (from the trace: PINGs sent, replies received)'];
    for (const d of downTimers(ix, st, node, t)) {
      const pct = d.downAfterMs ? ` (${Math.min(999, Math.round((100 * d.elapsedMs) / d.downAfterMs))}%)` : '';
      const what = d.since === 'unanswered-ping' ? `PING unanswered for ${(d.elapsedMs / 1000).toFixed(3)} s` : d.since === 'last-reply' ? `link down, last reply ${(d.elapsedMs / 1000).toFixed(3)} s ago` : 'answering';
      lines.push(`${d.instance}  ${what} / down-after ${d.downAfterMs !== null ? (d.downAfterMs / 1000).toFixed(3) + ' s' : '?'}${pct}${d.sdown ? '  → sdown' : ''}`);
    }
    for (const o of odownForming(ix, st, node, t)) lines.push(`${o.master}: ${o.odown ? '+odown' : 'sdown, asking the others'} #quorum ${o.k}/${o.q}`);
    for (const c of countdowns(ix, st, node, t)) lines.push(`${c.master}: ${c.label} in ${(Math.max(0, c.until - t) / 1e6).toFixed(3)} s (at ${formatClock(c.until)})`);
    const cad = cadence(ix, node, t);
    const beat = (name: string, b: typeof cad.hello) => (b ? `${name}: last sent ${((t - b.last) / 1e6).toFixed(3)} s ago to ${b.to}${b.every !== null ? `, ${(b.every / 1e6).toFixed(3)} s after the one before` : ''}` : `${name}: none sent yet`);
    lines.push(beat('hello', cad.hello), beat('INFO', cad.info));
    return lines;
  }
}
