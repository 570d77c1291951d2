// Where things go on the stage (spec viz.md §1, for Sentinel). Three arrangements, chosen by the topology and
// the width the stage has (the stage is drawn at 1:1, so its text keeps its size on every screen):
// - ring: servers first, then Sentinels, clockwise from the top, labels outside the ring (one host for all,
//   or one host per node: the `ip:port` labels say which);
// - boxes: nodes grouped by host (a rounded box per host, its name and IP on top, its servers and Sentinels
//   in a column with their labels beside them), the boxes around an ellipse;
// - rows (a phone): one node per row, alternating sides, host boxes across the width.
// Application hosts (s.app) are placed like servers and Sentinels, after them (their own host box); the
// script's other client processes and unknown sockets share the centre.
import type { NodeState } from '../model/types.ts';

export interface Point {
  x: number;
  y: number;
}

/** A host drawn as a box around its nodes. */
export interface HostBox {
  host: string;
  ip: string;
  x: number;
  y: number;
  w: number;
  h: number;
  nodes: string[];
}

/** Where a node's label goes, relative to the node's centre: the first line's baseline and its anchor. */
export interface LabelSpot {
  dx: number;
  dy: number;
  anchor: 'start' | 'middle' | 'end';
}

export type LayoutMode = 'ring' | 'boxes' | 'rows';

export interface RingLayout {
  mode: LayoutMode;
  width: number;
  height: number;
  center: Point;
  radius: number;
  nodeRadius: number;
  pos: Map<string, Point & { angle: number }>;
  /** Host boxes (empty in the ring arrangement). */
  boxes: HostBox[];
  /** The host of every placed node. */
  hostOf: Map<string, string>;
}

export interface LayoutNode {
  name: string;
  kind: string;
  host?: string;
  /** A client process that is an application host (s.app): placed on the stage, not in the centre. */
  app?: boolean;
}

/** Whether a node gets a place of its own (servers, Sentinels and application hosts). */
export const placed = (n: { kind: string; app?: boolean }): boolean => n.kind !== 'client' || n.app === true;

/** Height of one label line (px), and the most lines a node's label has. */
export const LINE_H = 13;
export const MAX_LINES = 5;
/** Width kept for a label beside a node (px at 11.5 px text). */
const LABEL_W = 200;
const BOX_TITLE = 18;
/** Below this width the stage stacks its nodes in rows (a phone). */
export const NARROW = 560;

const ipOf = (name: string) => (name.includes(':') ? name.slice(0, name.lastIndexOf(':')) : name);

/** The ring nodes grouped by host, in the order of their first server (servers before Sentinels in a group). */
export function hostGroups(nodes: LayoutNode[]): { host: string; ip: string; nodes: LayoutNode[] }[] {
  const ring = nodes.filter(placed);
  const order = [...ring.filter((n) => n.kind === 'server'), ...ring.filter((n) => n.kind === 'sentinel'), ...ring.filter((n) => n.kind === 'client')];
  const groups = new Map<string, { host: string; ip: string; nodes: LayoutNode[] }>();
  for (const n of order) {
    const host = n.host && n.host !== '?' ? n.host : ipOf(n.name);
    let g = groups.get(host);
    if (!g) groups.set(host, (g = { host, ip: ipOf(n.name), nodes: [] }));
    g.nodes.push(n);
  }
  return [...groups.values()];
}

/**
 * The arrangement for `nodes` on a stage `width` px wide (the height follows). `height` only fixes the
 * ring arrangement's height (older callers pass the viewBox they draw in).
 */
export function ringLayout(nodes: LayoutNode[], width: number, height?: number): RingLayout {
  const groups = hostGroups(nodes);
  const hostOf = new Map(groups.flatMap((g) => g.nodes.map((n) => [n.name, g.host] as const)));
  const grouped = groups.length > 1 && groups.some((g) => g.nodes.length > 1);
  if (width < NARROW) return rows(groups, Math.max(300, width), grouped, hostOf);
  if (grouped) return boxes(groups, Math.min(Math.max(width, 640), 760), hostOf);
  return ring(groups.flatMap((g) => g.nodes), Math.min(Math.max(width, 600), 1100), height ?? 600, hostOf);
}

/** Width kept beside a node on the ring for its label (a Sentinel's "master ip:port sdown+odown" line). */
const RING_LABEL_W = 220;

function ring(order: LayoutNode[], width: number, height: number, hostOf: Map<string, string>): RingLayout {
  const center = { x: width / 2, y: height / 2 };
  // the labels of the nodes left and right of the ring stay inside the stage (drawn at 1:1, up to 1100 px)
  const radius = Math.max(60, Math.min(width / 2 - RING_LABEL_W - 28 - 14, height / 2 - 90));
  const nodeRadius = Math.max(14, Math.min(28, (2 * Math.PI * radius) / Math.max(order.length, 1) / 4));
  const pos = new Map<string, Point & { angle: number }>();
  const servers = order.filter((n) => n.kind === 'server');
  const ordered = [...servers, ...order.filter((n) => n.kind !== 'server')];
  ordered.forEach((n, i) => {
    const angle = 2 * Math.PI * (0.75 + i / ordered.length);
    pos.set(n.name, { x: center.x + radius * Math.cos(angle), y: center.y + radius * Math.sin(angle), angle });
  });
  return { mode: 'ring', width, height, center, radius, nodeRadius, pos, boxes: [], hostOf };
}

/** Room kept at the top of the stage for the partition's name and the network note. */
export const TOP = 24;

/** Lines kept under a Sentinel's label on a phone for Sentinel's reasoning (its latest event, its countdown). */
export const OVERLAY_LINES = 2;

/**
 * Height of a node's row in a host box: a Sentinel's or an application's label has up to five lines, a server's four; on a phone
 * (rows) a Sentinel's row also keeps room for the overlay lines under its label.
 */
const rowH = (n: LayoutNode, phone = false) => (n.kind === 'sentinel' ? MAX_LINES + (phone ? OVERLAY_LINES : 0) : n.kind === 'client' ? MAX_LINES : MAX_LINES - 1) * LINE_H + 8;

function boxes(groups: { host: string; ip: string; nodes: LayoutNode[] }[], width: number, hostOf: Map<string, string>): RingLayout {
  const r = 18;
  const bw = 2 * r + 16 + LABEL_W;
  const bh = Math.max(...groups.map((g) => g.nodes.reduce((a, n) => a + rowH(n), 0))) + BOX_TITLE + 6;
  const n = groups.length;
  const place = (height: number) => {
    const center = { x: width / 2, y: TOP + (height - TOP) / 2 };
    const rx = width / 2 - bw / 2 - 6;
    const ry = (height - TOP) / 2 - bh / 2 - 6;
    return { center, rx, ry, at: groups.map((_g, i) => 2 * Math.PI * (0.75 + i / n)).map((a) => ({ a, x: center.x + rx * Math.cos(a) - bw / 2, y: center.y + ry * Math.sin(a) - bh / 2 })) };
  };
  // the lowest stage on which no two boxes touch (10 px apart at least)
  const apart = (p: ReturnType<typeof place>) =>
    p.at.every((b, i) => p.at.every((c, j) => j <= i || b.x + bw + 10 <= c.x || c.x + bw + 10 <= b.x || b.y + bh + 10 <= c.y || c.y + bh + 10 <= b.y));
  let height = Math.max(TOP + bh + 60, 420);
  while (height < 2400 && !apart(place(height))) height += 10;
  const { center, rx, ry, at } = place(height);
  const pos = new Map<string, Point & { angle: number }>();
  const out: HostBox[] = [];
  groups.forEach((g, i) => {
    const box: HostBox = { host: g.host, ip: g.ip, x: at[i].x, y: at[i].y, w: bw, h: bh, nodes: g.nodes.map((x) => x.name) };
    out.push(box);
    let y = box.y + BOX_TITLE + (bh - BOX_TITLE - 6 - g.nodes.reduce((a, x) => a + rowH(x), 0)) / 2;
    for (const node of g.nodes) {
      pos.set(node.name, { x: box.x + 8 + r, y: y + rowH(node) / 2, angle: at[i].a });
      y += rowH(node);
    }
  });
  return { mode: 'boxes', width, height, center, radius: Math.min(rx, ry), nodeRadius: r, pos, boxes: out, hostOf };
}

function rows(groups: { host: string; ip: string; nodes: LayoutNode[] }[], width: number, grouped: boolean, hostOf: Map<string, string>): RingLayout {
  const r = 14;
  const pos = new Map<string, Point & { angle: number }>();
  const out: HostBox[] = [];
  let y = TOP;
  let i = 0;
  const boxed = grouped;
  for (const g of boxed ? groups : [{ host: '', ip: '', nodes: groups.flatMap((x) => x.nodes) }]) {
    const top = y;
    if (boxed) y += BOX_TITLE;
    for (const node of g.nodes) {
      const left = i++ % 2 === 0;
      // a node on the left has its label on its right, and the other way round
      // the label's lines centred on the node as in a box, the overlay lines below them
      const h = rowH(node, true);
      pos.set(node.name, { x: left ? 12 + r : width - 12 - r, y: y + rowH(node) / 2, angle: left ? Math.PI : 0 });
      y += h;
    }
    if (boxed) {
      out.push({ host: g.host, ip: g.ip, x: 3, y: top, w: width - 6, h: y - top + 4, nodes: g.nodes.map((x) => x.name) });
      y += 12;
    }
  }
  const height = y + 30;
  return { mode: 'rows', width, height, center: { x: width / 2, y: height - 16 }, radius: 0, nodeRadius: r, pos, boxes: out, hostOf };
}

/** Where the label of `node` (with `lines` lines) goes, relative to the node. */
export function labelSpot(layout: RingLayout, node: string, lines: number): LabelSpot {
  const p = layout.pos.get(node);
  const r = layout.nodeRadius;
  const mid = -((lines - 1) * LINE_H) / 2 + 4;
  if (!p) return { dx: 0, dy: r + 12, anchor: 'middle' };
  if (layout.mode === 'boxes') return { dx: r + 7, dy: mid, anchor: 'start' };
  if (layout.mode === 'rows') return Math.cos(p.angle) < 0 ? { dx: r + 7, dy: mid, anchor: 'start' } : { dx: -(r + 7), dy: mid, anchor: 'end' };
  const lx = Math.cos(p.angle) * (r + 14);
  const ly = Math.sin(p.angle) * (r + 14);
  const anchor = Math.abs(Math.cos(p.angle)) < 0.3 ? 'middle' : Math.cos(p.angle) > 0 ? 'start' : 'end';
  const dy = Math.sin(p.angle) < -0.3 ? ly - (lines - 1) * LINE_H - 4 : Math.sin(p.angle) > 0.3 ? ly + 10 : ly + mid;
  return { dx: lx, dy, anchor };
}

/**
 * On a phone (rows), where Sentinel's reasoning writes about a node: the overlay line `i` (0: its latest
 * event, 1: its countdown) under the node's label, on the label's side; null in the other arrangements (there
 * the overlay goes inside the ring, clear of the labels).
 */
export function overlaySpot(layout: RingLayout, node: string, i: number): LabelSpot | null {
  if (layout.mode !== 'rows') return null;
  const s = labelSpot(layout, node, MAX_LINES);
  return { dx: s.dx, dy: s.dy + (MAX_LINES + i) * LINE_H + 2, anchor: s.anchor };
}

/** The point a message to or from `node` starts at (the centre for clients and unknown sockets). */
export function anchor(layout: RingLayout, node: string | null): Point {
  return (node && layout.pos.get(node)) || layout.center;
}

/** A point `frac` of the way from a to b, trimmed by the node radius at both ends, moved `lane` px to the right. */
export function along(a: Point, b: Point, frac: number, trim: number, lane: number): Point {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const t0 = Math.min(trim, len / 2);
  const d = t0 + (len - 2 * t0) * frac;
  return { x: a.x + ux * d - uy * lane, y: a.y + uy * d + ux * lane };
}

export function isRingNode(n: NodeState): boolean {
  return placed({ kind: n.kind, app: n.kind === 'client' && n.app !== undefined });
}
