// The stage (spec viz.md §1, for Sentinel): servers and Sentinels on a ring, messages as dots moving along
// the links, drops where they die, cuts across links, crashed / paused / tilted marks. Rendered with D3
// joins, updating attributes only (no rebuild per frame); the messages on a canvas over it (dotsLayer.ts).
import * as d3 from 'd3';
import type { ClusterState, FlightDot, NodeState } from '../model/types.ts';
import { along, anchor, labelSpot, overlaySpot, placed, ringLayout, type LabelSpot, type RingLayout } from './layout.ts';
import { DotsLayer, type DotSprite, type DrawnDot } from './dotsLayer.ts';
import { HostLayer } from './hosts.ts';
import { put, putText } from './put.ts';
import { downFlags, nodeLines, runIds } from './labels.ts';
import { NODE_COLORS, reducedMotion, textOn } from './palette.ts';

export interface StageHandlers {
  onNode?: (node: string, ev: MouseEvent | KeyboardEvent) => void;
  onLink?: (a: string, b: string, ev: MouseEvent) => void;
}

const W = 640;
const H = 600;

interface LinkDatum {
  a: string;
  b: string;
  ha: string;
  hb: string;
}

export class Stage {
  readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  private layout: RingLayout = ringLayout([], W, H);
  private gLinks;
  private gCuts;
  private gNodes;
  private readonly dots: DotsLayer;
  /** Each ring node's elements and last written values (setTopology finds them). */
  private nodeViews = new Map<string, NodeView>();
  private layouts = 0;
  private pauseGlyph;
  private centreLabel;
  private names: { name: string; kind: string; host: string; app?: boolean }[] = [];
  /** Host boxes, the partition, lossy links (hosts.ts); the layout follows the stage's width (layout.ts). */
  private readonly hosts: HostLayer;
  /** The stage's width as the last layout gave it (a ResizeObserver's: never read in the middle of a task). */
  private width = W;
  /** The stage's width the current layout was made for. */
  private laidOutFor = W;

  constructor(
    container: HTMLElement,
    private readonly handlers: StageHandlers = {},
  ) {
    this.svg = d3.select(container).append('svg').attr('viewBox', `0 0 ${W} ${H}`).attr('class', 'stage').attr('role', 'group').attr('aria-label', 'the cluster: servers and Sentinels on a ring, messages in flight');
    this.svg.append('circle').attr('class', 'ring');
    this.gLinks = this.svg.append('g').attr('class', 'links');
    this.gCuts = this.svg.append('g').attr('class', 'cuts');
    this.hosts = new HostLayer(this.svg, this.gLinks.node()!, this.gCuts);
    new ResizeObserver(() => {
      this.width = container.clientWidth || W;
      // (compared with the width the layout was made for: a layout's own width is clamped, 760 px for host boxes,
      // and every resize of the box — its height follows the layout — would lay the stage out again)
      if (this.names.length && Math.abs(this.width - this.laidOutFor) > 24) this.setTopology(this.names);
    }).observe(container);
    this.gNodes = this.svg.append('g').attr('class', 'nodes');
    this.centreLabel = this.svg.append('text').attr('class', 'centre-label').attr('text-anchor', 'middle');
    this.pauseGlyph = this.svg.append('text').attr('class', 'pause-glyph').attr('text-anchor', 'middle').attr('dominant-baseline', 'central').attr('aria-hidden', 'true').text('❚❚');
    this.dots = new DotsLayer(container, this.svg.node()!);
  }

  /** The messages the last frame drew: kind, shape (SVG path) and colour. */
  drawnDots(): DrawnDot[] {
    return this.dots.drawn();
  }

  /** Where Sentinel's reasoning writes its line `i` about `node` on a phone (null elsewhere), and the stage's width. */
  overlaySpot(node: string, i: number): (LabelSpot & { width: number }) | null {
    const s = overlaySpot(this.layout, node, i);
    return s && { ...s, width: this.layout.width };
  }

  /** The nodes to place (servers, Sentinels and application hosts on the ring; other clients in the centre). */
  setTopology(nodes: { name: string; kind: string; host: string; app?: boolean }[]): void {
    this.names = nodes.filter(placed);
    this.laidOutFor = this.width;
    this.layout = ringLayout(this.names, this.width, H);
    this.hosts.setLayout(this.layout);
    this.dots.setView(this.layout.width, this.layout.height);
    // a new layout: layers over the stage (reasoning.ts) read the nodes' places again
    this.svg.attr('data-layout', String(++this.layouts));
    const { center, radius } = this.layout;
    this.svg.select('circle.ring').attr('cx', center.x).attr('cy', center.y).attr('r', radius);
    this.centreLabel.attr('x', center.x).attr('y', center.y + 4).text('clients');
    this.pauseGlyph.attr('x', center.x).attr('y', center.y - 40);
    const links: LinkDatum[] = [];
    for (let i = 0; i < this.names.length; i++)
      for (let j = i + 1; j < this.names.length; j++) {
        const a = this.names[i];
        const b = this.names[j];
        links.push({ a: a.name, b: b.name, ha: a.host, hb: b.host });
      }
    const L = this.gLinks
      .selectAll<SVGGElement, LinkDatum>('g.link')
      .data(links, (d) => `${d.a}|${d.b}`)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'link');
        g.append('line').attr('class', 'link-line');
        g.append('line').attr('class', 'link-hit');
        g.append('title');
        return g;
      });
    L.attr('data-a', (d) => d.a).attr('data-b', (d) => d.b);
    L.selectAll<SVGLineElement, LinkDatum>('line')
      .attr('x1', (d) => anchor(this.layout, d.a).x)
      .attr('y1', (d) => anchor(this.layout, d.a).y)
      .attr('x2', (d) => anchor(this.layout, d.b).x)
      .attr('y2', (d) => anchor(this.layout, d.b).y);
    L.select('title').text((d) => `link ${d.a} ↔ ${d.b} (hosts ${d.ha}, ${d.hb})`);
    L.on('click', (ev: MouseEvent, d) => this.handlers.onLink?.(d.a, d.b, ev));
    const N = this.gNodes
      .selectAll<SVGGElement, { name: string; kind: string }>('g.node')
      .data(this.names, (d) => d.name)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'node');
        // the focusable part: the shape and its rings (the texts beside it are drawn for the eyes; the
        // button's name says the same in words)
        const hit = g.append('g').attr('class', 'hit').attr('tabindex', 0).attr('role', 'button').attr('aria-haspopup', 'dialog');
        hit.append('circle').attr('class', 'odown-ring');
        hit.append('circle').attr('class', 'sdown-ring');
        hit.append('path').attr('class', 'shape');
        hit.append('title');
        g.append('text').attr('class', 'glyph').attr('text-anchor', 'middle').attr('dominant-baseline', 'central').attr('aria-hidden', 'true');
        g.append('text').attr('class', 'cross').attr('text-anchor', 'middle').attr('dominant-baseline', 'central').attr('aria-hidden', 'true').text('✕');
        g.append('text').attr('class', 'badge').attr('text-anchor', 'middle').attr('aria-hidden', 'true');
        g.append('text').attr('class', 'label').attr('aria-hidden', 'true');
        return g;
      });
    const r = this.layout.nodeRadius;
    N.select('g.hit').attr('data-node', (d) => d.name).attr('aria-label', (d) => `${d.kind === 'sentinel' ? 'Sentinel' : d.kind === 'client' ? 'application' : d.kind} ${d.name}: actions`);
    N.attr('data-node', (d) => d.name)
      .attr('data-kind', (d) => d.kind)
      .attr('transform', (d) => {
        const p = anchor(this.layout, d.name);
        return `translate(${p.x},${p.y})`;
      });
    // a Sentinel is a diamond, an application host a rounded square, a server a circle
    N.select('path.shape').attr('d', (d) => (d.kind === 'sentinel' ? d3.symbol(d3.symbolDiamond2, (r * 1.55) ** 2)() : d.kind === 'client' ? appShape(r) : d3.symbol(d3.symbolCircle, Math.PI * r * r)()));
    N.select('circle.odown-ring').attr('r', r + 9);
    N.select('circle.sdown-ring').attr('r', r + 5);
    N.select('text.badge').attr('y', -r - 8);
    N.select('text.label').attr('data-text', null);
    this.nodeViews = new Map();
    N.each((d, i, els) => this.nodeViews.set(d.name, nodeView(els[i])));
    N.on('click', (ev: MouseEvent, d) => this.handlers.onNode?.(d.name, ev));
    N.select('g.hit').on('keydown', (ev: KeyboardEvent, d) => {
      if (ev.key !== 'Enter' && ev.key !== ' ') return;
      ev.preventDefault();
      ev.stopPropagation();
      this.handlers.onNode?.(d.name, ev);
    });
  }

  /** One node's shape, glyph, rings, badge and label: each written only when it changes. */
  private renderNode(v: NodeView, n: NodeState, s: ClusterState, ids: Map<string, string>, sd: boolean, od: boolean, selected: boolean): void {
    const up = n.proc === 'running' || n.proc === 'paused';
    const role = n.kind === 'server' ? n.role : n.kind;
    const fill = !up ? NODE_COLORS.down : n.kind === 'sentinel' ? NODE_COLORS.sentinel : n.kind === 'client' ? NODE_COLORS.app : n.kind === 'server' && n.role === 'master' ? NODE_COLORS.master : NODE_COLORS.replica;
    if (changed(v, 'role', role)) v.g.setAttribute('data-role', role);
    if (changed(v, 'proc', n.proc)) v.g.setAttribute('data-proc', n.proc);
    const cls = selected ? 'node selected' : 'node';
    if (changed(v, 'class', cls)) v.g.setAttribute('class', cls);
    if (changed(v, 'fill', fill)) d3.select(v.shape).attr('data-fill', fill).transition().duration(reducedMotion() ? 0 : 300).attr('fill', fill);
    const glyph = n.proc === 'paused' ? '❚❚' : n.kind === 'sentinel' ? 'S' : n.kind === 'client' ? 'A' : n.kind === 'server' && n.role === 'master' ? 'M' : 'R';
    if (changed(v, 'glyph', glyph)) v.glyph.textContent = glyph;
    if (changed(v, 'glyphFill', fill)) v.glyph.setAttribute('fill', glyphFill(fill));
    if (changed(v, 'up', String(up))) put(v.cross, 'display', up ? 'none' : null);
    if (changed(v, 'sdown', String(sd))) put(v.sdownRing, 'display', sd ? null : 'none');
    if (changed(v, 'odown', String(od))) put(v.odownRing, 'display', od ? null : 'none');
    const tilt = n.kind === 'sentinel' && n.tilt;
    if (changed(v, 'tilt', String(tilt))) {
      putText(v.badge, tilt ? 'TILT' : '');
      put(v.badge, 'display', tilt ? null : 'none');
    }
    const lines = nodeLines(n, s, ids);
    const joined = lines.join('\n');
    if (!changed(v, 'text', joined)) return;
    const spot = labelSpot(this.layout, n.name, lines.length);
    const label = v.label;
    label.setAttribute('data-text', joined);
    put(label, 'text-anchor', spot.anchor);
    put(label, 'transform', `translate(${spot.dx},${spot.dy})`);
    // one tspan per line: only the lines whose text changed are written
    const spans = label.children;
    for (let i = 0; i < lines.length; i++) {
      let t = spans[i] as SVGTSpanElement | undefined;
      if (!t) {
        t = document.createElementNS('http://www.w3.org/2000/svg', 'tspan');
        t.setAttribute('x', '0');
        t.setAttribute('dy', i === 0 ? '0' : '13');
        t.setAttribute('class', i === 0 ? 'label-title' : 'label-line');
        label.append(t);
      }
      if (t.textContent !== lines[i]) t.textContent = lines[i];
    }
    while (spans.length > lines.length) spans[spans.length - 1].remove();
    v.title.textContent = joined;
  }

  render(s: ClusterState, dots: FlightDot[], opts: { selected: string | null; paused: boolean }): void {
    const ids = runIds(s);
    const { sdown, odown } = downFlags(s);
    const r = this.layout.nodeRadius;
    const layout = this.layout;
    for (const [name, v] of this.nodeViews) {
      const n = s.nodes[name] as NodeState | undefined;
      if (n) this.renderNode(v, n, s, ids, sdown.has(name), odown.has(name), opts.selected === name);
    }
    // host boxes, the partition (drawn once, named), one-way blocks, lossy links: hosts.ts
    this.hosts.render(s, this.gLinks.selectAll<SVGGElement, LinkDatum>('g.link'));
    // messages: where each is along its link (a dropped one dies at the cut, or at its end)
    const sprites: DotSprite[] = [];
    for (const d of dots) {
      const a = anchor(layout, d.from);
      const b = anchor(layout, d.to);
      const dieAt = d.fate === 'dropped' ? (cutBetween(s, d) ? 0.55 : 1) : 1;
      const p = along(a, b, Math.min(d.pos, dieAt), d.from && layout.pos.has(d.from) ? r : 4, 3.5);
      sprites.push({ x: p.x, y: p.y, kind: d.kind, dead: d.dead });
    }
    this.dots.draw(sprites);
    put(this.pauseGlyph.node()!, 'display', opts.paused ? null : 'none');
    let clients = 0;
    for (const n of Object.values(s.nodes)) if (n.kind === 'client' && n.app === undefined && n.proc === 'running') clients++;
    putText(this.centreLabel.node()!, clients ? `clients (${clients})` : '');
  }
}

/** A node's elements, found once, and what was last written to them (a frame compares with these, not the DOM). */
interface NodeView {
  g: SVGGElement;
  shape: SVGPathElement;
  glyph: SVGTextElement;
  cross: SVGTextElement;
  sdownRing: SVGCircleElement;
  odownRing: SVGCircleElement;
  badge: SVGTextElement;
  label: SVGTextElement;
  title: SVGTitleElement;
  last: Record<string, string>;
}

function nodeView(g: SVGGElement): NodeView {
  const q = <E extends Element>(sel: string) => g.querySelector<E>(sel)!;
  return {
    g,
    shape: q('path.shape'),
    glyph: q('text.glyph'),
    cross: q('text.cross'),
    sdownRing: q('circle.sdown-ring'),
    odownRing: q('circle.odown-ring'),
    badge: q('text.badge'),
    label: q('text.label'),
    title: q('title'),
    last: {},
  };
}

/** Whether `key` of a view changes to `value` (and note it): the caller writes only then. */
function changed(v: NodeView, key: string, value: string): boolean {
  if (v.last[key] === value) return false;
  v.last[key] = value;
  return true;
}

/** An application host's shape: a square with rounded corners, about as heavy as a server's circle. */
function appShape(r: number): string {
  const a = +(r * 0.9).toFixed(2);
  const c = +(r * 0.3).toFixed(2);
  return `M${-a + c},${-a}H${a - c}Q${a},${-a} ${a},${-a + c}V${a - c}Q${a},${a} ${a - c},${a}H${-a + c}Q${-a},${a} ${-a},${a - c}V${-a + c}Q${-a},${-a} ${-a + c},${-a}Z`;
}

const textOnCache = new Map<string, string>();
const glyphFill = (fill: string): string => {
  let c = textOnCache.get(fill);
  if (c === undefined) textOnCache.set(fill, (c = textOn(fill)));
  return c;
};

function cutBetween(s: ClusterState, d: FlightDot): boolean {
  if (!d.from || !d.to || s.cuts.length === 0) return false;
  const ha = s.nodes[d.from]?.host;
  const hb = s.nodes[d.to]?.host;
  return s.cuts.includes(`${ha}>${hb}`);
}
