// The timeline's geometry, apart from its drawing: long idle gaps compressed (a polylinear scale with a
// visible break), and markers that would overlap grouped per row — one mark with a count, its members in a
// popover — so no two labels overlap.
import type { Marker } from '../model/types.ts';

/** Pixels a compressed gap takes. */
export const GAP_PX = 26;
/** A gap between events is compressed when longer than this share of the window, and at least MIN_GAP_US. */
const GAP_SHARE = 0.12;
const MIN_GAP_US = 30_000_000;

export interface Breaks {
  /** Domain and range breakpoints of a polylinear scale (increasing). */
  domain: number[];
  range: number[];
  /** The compressed gaps: [from, to] in µs, and where they are drawn (pixels). */
  gaps: { from: number; to: number; x0: number; x1: number }[];
}

/** The breakpoints of the window [a, b] drawn `width` px wide, with every long idle gap between `times` compressed. */
export function compress(times: number[], a: number, b: number, width: number): Breaks {
  const span = Math.max(1, b - a);
  const minGap = Math.max(MIN_GAP_US, span * GAP_SHARE);
  const ev = [a, ...times.filter((t) => t > a && t < b), b].sort((x, y) => x - y);
  const long: [number, number][] = [];
  for (let i = 0; i + 1 < ev.length; i++) {
    // a little room on both sides of the gap, so its events are not on the break
    const pad = Math.min(minGap / 6, 5_000_000);
    if (ev[i + 1] - ev[i] > minGap) long.push([ev[i] + pad, ev[i + 1] - pad]);
  }
  const squeezed = long.reduce((s, [x, y]) => s + (y - x), 0);
  const rest = span - squeezed;
  const px = Math.max(1, width - long.length * GAP_PX);
  if (long.length === 0 || rest <= 0) return { domain: [a, b], range: [0, width], gaps: [] };
  const domain = [a];
  const range = [0];
  const gaps: Breaks['gaps'] = [];
  let x = 0;
  let t = a;
  for (const [g0, g1] of long) {
    x += ((g0 - t) / rest) * px;
    domain.push(g0);
    range.push(x);
    const x0 = x;
    x += GAP_PX;
    domain.push(g1);
    range.push(x);
    gaps.push({ from: g0, to: g1, x0, x1: x });
    t = g1;
  }
  domain.push(b);
  range.push(width);
  return { domain, range, gaps };
}

export interface MarkGroup {
  /** The first member's time and position. */
  t: number;
  x: number;
  row: number;
  kind: Marker['kind'];
  members: Marker[];
  label: string;
  /** The label's estimated width (px at 11 px text). */
  w: number;
}

export const ROWS: Record<Marker['kind'], number> = { fault: 0, note: 0, sdown: 1, odown: 1, tilt: 1, election: 2, 'switch-master': 3, 'failover-end': 3 };

export function markLabel(m: Marker): string {
  return m.kind === 'election' ? `e${m.epoch ?? '?'}` : m.kind === 'switch-master' ? 'switch' : m.kind === 'fault' ? m.label.split(' ')[0] : m.kind === 'odown' ? 'odown' : m.kind === 'tilt' ? 'tilt' : m.kind === 'failover-end' ? 'end' : '';
}

/** Estimated width of an 11 px label (generous: system fonts run ~6.2 px a character). */
export const textWidth = (s: string): number => (s ? s.length * 6.9 + 4 : 0);

/**
 * Markers grouped per row: a marker joins the group before it when its tick is within that group's label
 * (or 6 px of its tick). A group of several shows its first label and "+n".
 */
export function groupMarks(markers: Marker[], x: (t: number) => number): MarkGroup[] {
  const byRow = new Map<number, Marker[]>();
  for (const m of markers) {
    const r = ROWS[m.kind] ?? 0;
    let l = byRow.get(r);
    if (!l) byRow.set(r, (l = []));
    l.push(m);
  }
  const out: MarkGroup[] = [];
  for (const [row, list] of byRow) {
    list.sort((p, q) => p.t - q.t || p.index - q.index);
    let g: MarkGroup | null = null;
    for (const m of list) {
      const px = x(m.t);
      if (g && px <= g.x + Math.max(6, 3 + g.w) + 2) {
        g.members.push(m);
        const base = markLabel(g.members[0]);
        g.label = `${base || g.members[0].kind} +${g.members.length - 1}`;
        g.w = textWidth(g.label);
        continue;
      }
      g = { t: m.t, x: px, row, kind: m.kind, members: [m], label: markLabel(m), w: textWidth(markLabel(m)) };
      out.push(g);
    }
  }
  return out;
}
