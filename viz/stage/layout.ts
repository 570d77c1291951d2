// Where things go on the ring (spec viz.md §1: servers first, then Sentinels, clockwise from the top;
// client processes and unknown sockets share the centre).
import type { NodeState } from '../model/types.ts';

export interface Point {
  x: number;
  y: number;
}

export interface RingLayout {
  center: Point;
  radius: number;
  nodeRadius: number;
  pos: Map<string, Point & { angle: number }>;
}

export function ringLayout(nodes: { name: string; kind: string }[], width: number, height: number): RingLayout {
  const ring = nodes.filter((n) => n.kind !== 'client');
  const order = [...ring.filter((n) => n.kind === 'server'), ...ring.filter((n) => n.kind === 'sentinel')];
  const center = { x: width / 2, y: height / 2 };
  const radius = Math.min(width / 2 - 150, height / 2 - 80);
  const nodeRadius = Math.max(14, Math.min(28, (2 * Math.PI * radius) / Math.max(order.length, 1) / 4));
  const pos = new Map<string, Point & { angle: number }>();
  order.forEach((n, i) => {
    const angle = 2 * Math.PI * (0.75 + i / order.length);
    pos.set(n.name, { x: center.x + radius * Math.cos(angle), y: center.y + radius * Math.sin(angle), angle });
  });
  return { center, radius, nodeRadius, pos };
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
  return n.kind !== 'client';
}
