// Sentinel's reasoning drawn on the stage, RaftScope-style (issue 15 item 2): per Sentinel, a bar along the
// link to each instance it watches filling towards down-after-milliseconds (vermillion once it holds it
// sdown) and an arc around it counting down the election / failover timeout or the wait before its next
// try; per election, vote requests and votes as arrows and the tally in the middle of the ring; the latest
// Sentinel event beside each Sentinel. A layer over the Stage's SVG: node positions are read from the nodes
// the stage drew (whatever its layout), nothing here takes pointer events.
import * as d3 from 'd3';
import type { ReasoningIndex, SentinelEventLine } from '../model/reasoning.ts';
import { cadence, countdowns, downTimers, electionsAt, resultText, tallyAt, tallyText, type Countdown, type DownTimer, type Tally } from '../model/tally.ts';
import type { ClusterState } from '../model/types.ts';
import { eventFamily } from './events.ts';
import { OKABE_ITO } from './palette.ts';
import { attrIf, put, putText } from './put.ts';

interface Pos {
  x: number;
  y: number;
}

interface Arrow {
  key: string;
  from: string;
  to: string;
  kind: 'request' | 'granted' | 'other' | 'pending';
  /** 0..1 of the way (a message in flight grows; arrived ones are whole). */
  grow: number;
}

export interface ReasoningDrawOptions {
  /** Virtual µs an election, its arrows and an event tag stay after they end (the app scales it by the speed). */
  lingerUs: number;
  /** Virtual µs a hello / INFO pulse lasts around the Sentinel that sent it. */
  pulseUs: number;
}

interface Beat {
  sentinel: string;
  kind: 'hello' | 'info';
  /** 0 when sent, 1 when the pulse ends. */
  age: number;
}

const BAR_MAX = 64;

/** On a phone, where the overlay's line `i` about a node goes (beside its label, see layout.ts overlaySpot). */
export type OverlaySpot = (node: string, i: number) => { dx: number; dy: number; anchor: 'start' | 'middle' | 'end'; width: number } | null;

export class ReasoningLayer {
  private readonly g;
  private readonly gBars;
  private readonly gArcs;
  private readonly gArrows;
  private readonly gEvents;
  private readonly gBeats;
  private readonly tally;

  constructor(
    private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>,
    private readonly spot: OverlaySpot = () => null,
  ) {
    this.g = svg.append('g').attr('class', 'reasoning').attr('pointer-events', 'none').attr('aria-hidden', 'true');
    this.gBeats = this.g.append('g').attr('class', 'beats');
    this.gBars = this.g.append('g').attr('class', 'down-timers');
    this.gArrows = this.g.append('g').attr('class', 'vote-arrows');
    this.gArcs = this.g.append('g').attr('class', 'countdowns');
    this.gEvents = this.g.append('g').attr('class', 'event-tags');
    this.tally = this.svg.append('g').attr('class', 'tally-box').attr('pointer-events', 'none');
    const defs = this.svg.append('defs');
    for (const [id, color] of [['vote-req', OKABE_ITO.purple], ['vote-yes', OKABE_ITO.green], ['vote-other', '#595959']] as const)
      defs
        .append('marker')
        .attr('id', `arrow-${id}`)
        .attr('viewBox', '0 -4 8 8')
        .attr('refX', 7)
        .attr('markerWidth', 7)
        .attr('markerHeight', 7)
        .attr('orient', 'auto')
        .append('path')
        .attr('d', 'M0,-4L8,0L0,4Z')
        .attr('fill', color);
  }

  private placed: { layout: string; at: { pos: Map<string, Pos>; r: number; center: Pos } } | null = null;

  /** Node centres and radius as the stage placed them (read again only when the stage lays out anew: its data-layout). */
  private positions(): { pos: Map<string, Pos>; r: number; center: Pos } {
    const layout = this.svg.attr('data-layout');
    if (layout !== null && this.placed?.layout === layout) return this.placed.at;
    const at = this.readPositions();
    this.placed = layout === null ? null : { layout, at };
    return at;
  }

  private readPositions(): { pos: Map<string, Pos>; r: number; center: Pos } {
    const pos = new Map<string, Pos>();
    let r = 18;
    this.svg.selectAll<SVGGElement, unknown>('g.node').each(function () {
      const m = /translate\(([-\d.]+),\s*([-\d.]+)\)/.exec(this.getAttribute('transform') ?? '');
      const name = this.getAttribute('data-node');
      if (m && name) pos.set(name, { x: Number(m[1]), y: Number(m[2]) });
      const ring = this.querySelector('circle.sdown-ring');
      if (ring) r = Number(ring.getAttribute('r')) - 5 || r;
    });
    const ring = this.svg.select('circle.ring');
    const center = { x: Number(ring.attr('cx')) || 320, y: Number(ring.attr('cy')) || 300 };
    return { pos, r, center };
  }

  render(ix: ReasoningIndex, st: ClusterState, t: number, opts: ReasoningDrawOptions): Tally[] {
    const { pos, r, center } = this.positions();
    const sentinels = Object.values(st.nodes).filter((n) => n.kind === 'sentinel' && pos.has(n.name)).map((n) => n.name);
    this.drawBars(sentinels.flatMap((s) => downTimers(ix, st, s, t)).filter((d) => pos.has(d.instance) && d.downAfterMs), pos, r);
    this.drawArcs(sentinels.flatMap((s) => countdowns(ix, st, s, t)), pos, r, t);
    const tallies = electionsAt(ix, t, opts.lingerUs).map((e) => tallyAt(ix, e, st, t));
    this.drawArrows(tallies, pos, r, t, opts.lingerUs);
    this.drawTally(tallies, center);
    this.drawEvents(latestEvents(ix.events, sentinels, t, opts.lingerUs), pos, r, center);
    this.drawBeats(sentinels, ix, t, opts.pulseUs, pos, r);
    return tallies;
  }

  /** The hello / INFO cadence: a ring spreading from a Sentinel each time it sends one (green hello, blue INFO). */
  private drawBeats(sentinels: string[], ix: ReasoningIndex, t: number, pulse: number, pos: Map<string, Pos>, r: number): void {
    const beats: Beat[] = [];
    for (const s of sentinels) {
      const c = cadence(ix, s, t);
      if (c.hello && t - c.hello.last < pulse) beats.push({ sentinel: s, kind: 'hello', age: (t - c.hello.last) / pulse });
      if (c.info && t - c.info.last < pulse) beats.push({ sentinel: s, kind: 'info', age: (t - c.info.last) / pulse });
    }
    const C = this.gBeats
      .selectAll<SVGCircleElement, Beat>('circle.beat')
      .data(beats, (b) => `${b.sentinel}|${b.kind}`)
      .join('circle');
    attrIf(C, 'class', (b) => `beat ${b.kind}`);
    attrIf(C, 'data-sentinel', (b) => b.sentinel);
    attrIf(C, 'data-beat', (b) => b.kind);
    attrIf(C, 'cx', (b) => pos.get(b.sentinel)!.x);
    attrIf(C, 'cy', (b) => pos.get(b.sentinel)!.y);
    attrIf(C, 'r', (b) => (r + 2 + 16 * b.age).toFixed(1));
    attrIf(C, 'opacity', (b) => (1 - b.age).toFixed(2));
  }

  private drawBars(timers: DownTimer[], pos: Map<string, Pos>, r: number): void {
    const data = timers.map((d) => {
      const a = pos.get(d.sentinel)!;
      const b = pos.get(d.instance)!;
      const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
      const ux = (b.x - a.x) / len;
      const uy = (b.y - a.y) / len;
      // beside the link, on the sender's right: a Sentinel's bar and the other Sentinel's bar do not overlap
      const ox = -uy * 4;
      const oy = ux * 4;
      const max = Math.min(BAR_MAX, len * 0.42 - r);
      const frac = d.sdown ? 1 : Math.min(1, d.elapsedMs / d.downAfterMs!);
      const x0 = a.x + ux * (r + 3) + ox;
      const y0 = a.y + uy * (r + 3) + oy;
      return { d, x0, y0, x1: x0 + ux * max, y1: y0 + uy * max, xf: x0 + ux * max * frac, yf: y0 + uy * max * frac, frac };
    });
    const B = this.gBars
      .selectAll<SVGGElement, (typeof data)[number]>('g.down-timer')
      .data(data, (x) => `${x.d.sentinel}|${x.d.instance}`)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'down-timer');
        g.append('line').attr('class', 'track');
        g.append('line').attr('class', 'fill');
        return g;
      });
    attrIf(B, 'data-sentinel', (x) => x.d.sentinel);
    attrIf(B, 'data-instance', (x) => x.d.instance);
    attrIf(B, 'data-elapsed-ms', (x) => Math.round(x.d.elapsedMs));
    attrIf(B, 'data-down-after-ms', (x) => x.d.downAfterMs);
    attrIf(B, 'class', (x) => (x.d.sdown ? 'down-timer sdown' : 'down-timer'));
    const track = B.select<SVGLineElement>('line.track');
    attrIf(track, 'x1', (x) => x.x0.toFixed(1));
    attrIf(track, 'y1', (x) => x.y0.toFixed(1));
    attrIf(track, 'x2', (x) => x.x1.toFixed(1));
    attrIf(track, 'y2', (x) => x.y1.toFixed(1));
    const fill = B.select<SVGLineElement>('line.fill');
    attrIf(fill, 'x1', (x) => x.x0.toFixed(1));
    attrIf(fill, 'y1', (x) => x.y0.toFixed(1));
    attrIf(fill, 'x2', (x) => x.xf.toFixed(1));
    attrIf(fill, 'y2', (x) => x.yf.toFixed(1));
    attrIf(fill, 'display', (x) => (x.frac > 0 ? null : 'none'));
  }

  private drawArcs(cds: Countdown[], pos: Map<string, Pos>, r: number, t: number): void {
    const arc = d3.arc<{ frac: number }>().innerRadius(r + 11).outerRadius(r + 15).startAngle(0).endAngle((x) => 2 * Math.PI * x.frac);
    const data = cds.map((c, i) => ({ c, i, frac: Math.max(0, Math.min(1, (c.until - t) / Math.max(1, c.until - c.from))), left: Math.max(0, c.until - t) }));
    const A = this.gArcs
      .selectAll<SVGGElement, (typeof data)[number]>('g.countdown')
      .data(data, (x) => `${x.c.sentinel}|${x.c.master}|${x.c.kind}`)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'countdown');
        g.append('path').attr('class', 'arc-track');
        g.append('path').attr('class', 'arc');
        g.append('text').attr('class', 'arc-label').attr('text-anchor', 'middle');
        return g;
      });
    attrIf(A, 'transform', (x) => {
      const p = pos.get(x.c.sentinel)!;
      return `translate(${p.x},${p.y})`;
    });
    attrIf(A, 'data-kind', (x) => x.c.kind);
    attrIf(A, 'data-sentinel', (x) => x.c.sentinel);
    attrIf(A, 'data-left-ms', (x) => Math.round(x.left / 1000));
    const whole = arc({ frac: 1 }) ?? '';
    attrIf(A.select<SVGPathElement>('path.arc-track'), 'd', () => whole);
    // the arc in steps of 1/400 of a turn (a frame that does not move it writes nothing)
    attrIf(A.select<SVGPathElement>('path.arc'), 'd', (x) => arc({ frac: Math.round(x.frac * 400) / 400 }) ?? '');
    const spot = this.spot;
    A.select('text.arc-label')
      .each(function (x) {
        // under the node in the ring; on a phone, on the line kept for it under the node's label
        const s = spot(x.c.sentinel, 1);
        d3.select(this)
          .attr('x', s ? s.dx : 0)
          .attr('y', s ? s.dy : r + 28)
          .attr('text-anchor', s ? s.anchor : 'middle');
      })
      .text((x) => `${x.c.label} ${(x.left / 1e6).toFixed(1)} s`);
  }

  private drawArrows(tallies: Tally[], pos: Map<string, Pos>, r: number, t: number, linger: number): void {
    const arrows: Arrow[] = [];
    for (const x of tallies) {
      const e = x.election;
      const granted = new Set(x.granted);
      const other = new Set(x.other.map((o) => o.voter));
      // the latest request to each Sentinel and the latest reply from each, while in flight or lingering
      const lastReq = new Map<string, (typeof x.requests)[number]>();
      for (const m of x.requests) if (m.to && m.sent <= t && t <= Math.max(m.arrive, e.end ?? Infinity) + linger) lastReq.set(m.to, m);
      // per voter, the latest reply that has arrived (its vote counted), else one still in flight
      const lastRep = new Map<string, (typeof x.replies)[number]>();
      for (const m of x.replies) {
        if (!m.from || m.sent > t || t > Math.max(m.arrive, e.end ?? Infinity) + linger) continue;
        const old = lastRep.get(m.from);
        if (!old || m.arrive <= t || old.arrive > t) lastRep.set(m.from, m);
      }
      const grow = (m: { sent: number; arrive: number }) => (m.arrive <= m.sent ? 1 : Math.max(0.08, Math.min(1, (t - m.sent) / (m.arrive - m.sent))));
      for (const [to, m] of lastReq) arrows.push({ key: `${e.candidate}|${e.epoch}|req|${to}`, from: e.candidate, to, kind: 'request', grow: grow(m) });
      for (const [from, m] of lastRep) {
        const arrived = m.arrive <= t;
        arrows.push({ key: `${e.candidate}|${e.epoch}|rep|${from}`, from, to: e.candidate, kind: !arrived ? 'pending' : granted.has(from) ? 'granted' : other.has(from) ? 'other' : 'pending', grow: grow(m) });
      }
    }
    const data = arrows.filter((a) => pos.has(a.from) && pos.has(a.to));
    const L = this.gArrows
      .selectAll<SVGLineElement, Arrow>('line.vote-arrow')
      .data(data, (a) => a.key)
      .join('line');
    attrIf(L, 'class', (a) => `vote-arrow ${a.kind}`);
    attrIf(L, 'data-from', (a) => a.from);
    attrIf(L, 'data-to', (a) => a.to);
    attrIf(L, 'data-kind', (a) => a.kind);
    attrIf(L, 'marker-end', (a) => `url(#arrow-${a.kind === 'request' ? 'vote-req' : a.kind === 'granted' ? 'vote-yes' : 'vote-other'})`);
    L.each(function (a) {
      const p = pos.get(a.from)!;
      const q = pos.get(a.to)!;
      const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
      const ux = (q.x - p.x) / len;
      const uy = (q.y - p.y) / len;
      // requests on one side of the link, replies on the other
      const side = a.kind === 'request' ? 1 : -1;
      const ox = -uy * 9 * side;
      const oy = ux * 9 * side;
      const x0 = p.x + ux * (r + 4) + ox;
      const y0 = p.y + uy * (r + 4) + oy;
      const full = len - 2 * (r + 6);
      put(this, 'x1', x0.toFixed(1));
      put(this, 'y1', y0.toFixed(1));
      put(this, 'x2', (x0 + ux * full * a.grow).toFixed(1));
      put(this, 'y2', (y0 + uy * full * a.grow).toFixed(1));
    });
  }

  private drawTally(tallies: Tally[], center: Pos): void {
    const shown = tallies.slice(-3);
    const T = this.tally
      .selectAll<SVGTextElement, Tally>('text.tally')
      .data(shown, (x) => `${x.election.candidate}|${x.election.epoch}|${x.election.start}`)
      .join((enter) => {
        const tx = enter.append('text').attr('class', 'tally').attr('text-anchor', 'middle');
        tx.append('tspan').attr('class', 'tally-head');
        tx.append('tspan').attr('class', 'tally-count');
        tx.append('tspan').attr('class', 'tally-result');
        return tx;
      });
    attrIf(T, 'transform', (_x, i) => `translate(${center.x},${center.y + 30 + i * 50})`);
    attrIf(T, 'data-candidate', (x) => x.election.candidate);
    attrIf(T, 'data-epoch', (x) => x.election.epoch);
    attrIf(T, 'data-result', (x) => x.result ?? 'counting');
    const line = (cls: string, dy: number, text: (x: Tally) => string) =>
      T.select<SVGTSpanElement>(`tspan.${cls}`).each(function (x) {
        put(this, 'x', 0);
        put(this, 'dy', dy);
        putText(this, text(x));
      });
    line('tally-head', 0, (x) => `election, epoch ${x.election.epoch}: ${x.election.candidate}`);
    line('tally-count', 15, (x) => tallyText(x));
    line('tally-result', 15, (x) => resultText(x));
  }

  private drawEvents(events: SentinelEventLine[], pos: Map<string, Pos>, r: number, center: Pos): void {
    const E = this.gEvents
      .selectAll<SVGGElement, SentinelEventLine>('g.event-tag')
      .data(events, (e) => e.node)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'event-tag');
        g.append('rect').attr('rx', 3);
        g.append('text').attr('dominant-baseline', 'central');
        return g;
      });
    const spot = this.spot;
    E.each(function (e) {
      const p = pos.get(e.node)!;
      const fam = eventFamily(e.event);
      const text = `${fam.glyph} ${shortEvent(e)}`;
      const w = text.length * 5.6 + 8;
      const s = spot(e.node, 0);
      let x: number;
      let y: number;
      let left = -w / 2;
      if (s) {
        // a phone: on the line kept under the node's label, on the label's side, inside the stage
        x = p.x + s.dx;
        y = p.y + s.dy - 4;
        left = s.anchor === 'end' ? -w : 0;
        x = Math.max(2 - left, Math.min(s.width - 2 - left - w, x));
      } else {
        // towards the middle of the ring, beyond the countdown arc
        const dx = center.x - p.x;
        const dy = center.y - p.y;
        const len = Math.hypot(dx, dy) || 1;
        x = p.x + (dx / len) * (r + 34);
        y = p.y + (dy / len) * (r + 34);
      }
      put(this, 'transform', `translate(${x.toFixed(1)},${y.toFixed(1)})`);
      // the tag's contents change with its event only
      const key = `${e.index}|${left}`;
      if (this.getAttribute('data-key') === key) return;
      const g = d3.select(this).attr('data-key', key).attr('data-event', e.event).attr('data-family', fam.family);
      g.select('rect').attr('x', left).attr('y', -8).attr('width', w).attr('height', 16).attr('fill', '#fff').attr('stroke', fam.color).attr('stroke-width', 1.5);
      g.select('text').attr('x', left + w / 2).attr('text-anchor', 'middle').attr('fill', '#222').text(text);
    });
  }
}

/** The last event of each Sentinel that is at most `linger` old at `t`. */
export function latestEvents(events: SentinelEventLine[], sentinels: string[], t: number, linger: number): SentinelEventLine[] {
  const want = new Set(sentinels);
  const out = new Map<string, SentinelEventLine>();
  // the events are in time order: start at the last one at or before t (never a walk over the future)
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].t <= t) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0 && out.size < want.size; i--) {
    const e = events[i];
    if (e.t < t - linger) break;
    if (want.has(e.node) && !out.has(e.node)) out.set(e.node, e);
  }
  return [...out.values()];
}

/** An event in a few words: its name and what it is about (the quorum of +odown, the new address of +switch-master). */
export function shortEvent(e: { event: string; line: string }): string {
  const w = e.line.split(' ');
  if (e.event === '+odown') return `+odown ${w.slice(-2).join(' ')}`;
  if (e.event === '+switch-master') return `+switch-master → ${w[4]}:${w[5]}`;
  if (e.event === '+new-epoch') return `+new-epoch ${w[1]}`;
  if (e.event === '+vote-for-leader') return `+vote-for-leader e${w[2]}`;
  if (w[1] === 'master' || w[1] === 'slave' || w[1] === 'sentinel') return `${e.event} ${w[1] === 'master' ? 'master' : `${w[3]}:${w[4]}`}`;
  return e.event;
}
