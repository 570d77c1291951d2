// Hosts and the network on the stage: a box per host (its name and IP), a partition drawn once — one cut
// line between the two sides, or an outline around each side when a line cannot separate them — with its
// name ("partition n1 n2 | n3 n4 n5"), the links it cuts dimmed, one-way blocks inside a side as bars across
// their link, and lossy or slow links marked (dashed, and named in the network note).
import * as d3 from 'd3';
import type { ClusterState, LinkSetting } from '../model/types.ts';
import { along, anchor, TOP, type Point, type RingLayout } from './layout.ts';

export interface LinkDatum {
  a: string;
  b: string;
  ha: string;
  hb: string;
}

/** The sides of a partition: groups of hosts that reach each other (clients' hosts listed with the side they reach). */
export interface Partition {
  groups: { hosts: string[]; clients: string[] }[];
  name: string;
  /** Blocked directions inside a side (one-way blocks), drawn per link. */
  stray: string[];
}

/**
 * The partition the cuts make among the hosts that run servers or Sentinels: hosts joined when neither
 * direction between them is cut. Null when every such host reaches every other.
 */
export function partitionOf(cuts: readonly string[], ringHosts: string[], clientHosts: string[]): Partition | null {
  if (cuts.length === 0) return null;
  const cut = new Set(cuts);
  const open = (a: string, b: string) => !cut.has(`${a}>${b}`) && !cut.has(`${b}>${a}`);
  const parent = new Map(ringHosts.map((h) => [h, h]));
  const find = (h: string): string => (parent.get(h) === h ? h : find(parent.get(h)!));
  for (let i = 0; i < ringHosts.length; i++) for (let j = i + 1; j < ringHosts.length; j++) if (open(ringHosts[i], ringHosts[j])) parent.set(find(ringHosts[i]), find(ringHosts[j]));
  const byRoot = new Map<string, { hosts: string[]; clients: string[] }>();
  for (const h of ringHosts) {
    const root = find(h);
    let g = byRoot.get(root);
    if (!g) byRoot.set(root, (g = { hosts: [], clients: [] }));
    g.hosts.push(h);
  }
  const groups = [...byRoot.values()];
  const groupOf = new Map(groups.flatMap((g, i) => g.hosts.map((h) => [h, i] as const)));
  const stray = cuts.filter((c) => {
    const [a, b] = c.split('>');
    return groupOf.has(a) && groupOf.has(b) && groupOf.get(a) === groupOf.get(b);
  });
  if (groups.length < 2) return stray.length ? { groups, name: '', stray } : null;
  const isolated: string[] = [];
  for (const c of clientHosts) {
    const reach = groups.filter((g) => g.hosts.some((h) => open(c, h)));
    if (reach.length === 1) reach[0].clients.push(c);
    else if (reach.length === 0) isolated.push(c);
  }
  const side = (g: { hosts: string[]; clients: string[] }) => [...g.hosts, ...g.clients.map((c) => `(${c})`)].join(' ');
  const oneWay = cuts.some((c) => {
    const [a, b] = c.split('>');
    return groupOf.has(a) && groupOf.has(b) && groupOf.get(a) !== groupOf.get(b) && !cut.has(`${b}>${a}`);
  });
  const name = `partition ${groups.map(side).join(' | ')}${isolated.length ? ` · cut off: ${isolated.join(' ')}` : ''}${oneWay ? ' (some links one way)' : ''}`;
  return { groups, name, stray };
}

/** One line of the network note for a link setting ("every link: loss 40 % · 250 ms ± 100"). */
export function linkNote(l: LinkSetting): string | null {
  const parts: string[] = [];
  if (l.loss) parts.push(`loss ${Math.round(l.loss * 100)} %`);
  if (l.latencyMs) parts.push(`${l.latencyMs} ms${l.jitter ? ` ± ${l.jitter}` : ''}`);
  if (l.bandwidth) parts.push(`${l.bandwidth} B/s`);
  if (parts.length === 0) return null;
  return `${l.key === '*' ? 'every link' : l.key.replace('>', ' → ')}: ${parts.join(' · ')}`;
}

export class HostLayer {
  private readonly gBoxes;
  private readonly gCut;
  private readonly note;
  private layout: RingLayout | null = null;
  private drawnKey = '';

  constructor(
    private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>,
    /** Drawn below this (the links): the host boxes. */
    below: SVGGElement,
    /** Drawn in this (above the links): the partition, stray cuts. */
    private readonly gCuts: d3.Selection<SVGGElement, unknown, null, undefined>,
  ) {
    this.gBoxes = svg.insert('g', () => below).attr('class', 'hosts');
    this.gCut = svg.append('g').attr('class', 'partition').attr('aria-hidden', 'true');
    this.note = svg.append('text').attr('class', 'net-note').attr('x', 6).attr('y', 15);
  }

  setLayout(layout: RingLayout): void {
    this.layout = layout;
    this.drawnKey = '';
    // drawn at 1:1 (the viewBox is the stage's own width): text keeps its size on a phone
    this.svg.attr('viewBox', `0 0 ${layout.width} ${layout.height}`).attr('data-mode', layout.mode);
    this.note.attr('y', layout.height - 6);
    this.svg.select('circle.ring').attr('display', layout.mode === 'ring' ? null : 'none');
    const B = this.gBoxes
      .selectAll<SVGGElement, RingLayout['boxes'][number]>('g.host')
      .data(layout.boxes, (b) => b.host)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'host');
        g.append('rect').attr('class', 'host-box').attr('rx', 8);
        g.append('text').attr('class', 'host-title');
        return g;
      });
    B.attr('data-host', (b) => b.host).attr('data-ip', (b) => b.ip);
    B.select('rect').attr('x', (b) => b.x).attr('y', (b) => b.y).attr('width', (b) => b.w).attr('height', (b) => b.h);
    B.select('text').attr('x', (b) => b.x + 8).attr('y', (b) => b.y + 13).text((b) => `${b.host} · ${b.ip}`);
  }

  /** The partition, stray cuts and lossy links at this state; marks the links (`blocked`, `lossy`). */
  render(s: ClusterState, links: d3.Selection<SVGGElement, LinkDatum, SVGGElement, unknown>): void {
    const layout = this.layout;
    if (!layout) return;
    const key = `${s.cuts.join(',')}|${JSON.stringify(s.links)}`;
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    const ringHosts = [...new Set(layout.hostOf.values())];
    const clientHosts = [...new Set(Object.values(s.nodes).flatMap((n) => (n.kind === 'client' && n.host !== '?' && !ringHosts.includes(n.host) ? [n.host] : [])))];
    const p = partitionOf(s.cuts, ringHosts, clientHosts);
    const cut = new Set(s.cuts);
    links.classed('blocked', (d) => cut.has(`${d.ha}>${d.hb}`) || cut.has(`${d.hb}>${d.ha}`));
    const settings = new Map(s.links.map((l) => [l.key, l]));
    const lossOf = (a: string, b: string) => settings.get(`${a}>${b}`)?.loss ?? settings.get('*')?.loss ?? 0;
    links.classed('lossy', (d) => lossOf(d.ha, d.hb) > 0 || lossOf(d.hb, d.ha) > 0);
    const notes = s.links.map(linkNote).filter((x): x is string => x !== null);
    this.note.text(notes.length ? `lossy / slow: ${notes.slice(0, 3).join('; ')}${notes.length > 3 ? ` (+${notes.length - 3})` : ''}` : '');
    this.drawPartition(layout, p && p.groups.length > 1 ? p : null);
    // one-way blocks inside a side (or every cut, when the hosts are not partitioned): a bar across each link
    const strayCuts = new Set(p ? p.stray : []);
    const bars = links.data().flatMap((d) =>
      [strayCuts.has(`${d.ha}>${d.hb}`) ? { d, dir: 0 } : null, strayCuts.has(`${d.hb}>${d.ha}`) ? { d, dir: 1 } : null].filter((x): x is { d: LinkDatum; dir: number } => x !== null),
    );
    const r = layout.nodeRadius;
    this.gCuts
      .selectAll<SVGPathElement, { d: LinkDatum; dir: number }>('path.cut')
      .data(bars, (c) => `${c.d.a}|${c.d.b}|${c.dir}`)
      .join('path')
      .attr('class', 'cut')
      .attr('d', (c) => {
        const a = anchor(layout, c.dir === 0 ? c.d.a : c.d.b);
        const b = anchor(layout, c.dir === 0 ? c.d.b : c.d.a);
        const m = along(a, b, 0.55, r, 0);
        const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
        const px = (-(b.y - a.y) / len) * 9;
        const py = ((b.x - a.x) / len) * 9;
        return `M${m.x - px},${m.y - py}L${m.x + px},${m.y + py}`;
      });
  }

  private drawPartition(layout: RingLayout, p: Partition | null): void {
    const g = this.gCut;
    g.attr('data-partition', p ? p.name : null);
    g.selectAll('*').remove();
    if (!p) return;
    const sites: { host: string; group: number; at: Point }[] = [];
    p.groups.forEach((grp, gi) => {
      for (const h of grp.hosts) {
        const c = hostCentre(layout, h);
        if (c) sites.push({ host: h, group: gi, at: c });
      }
    });
    const segs = groupBoundary(sites, { x: 0, y: TOP - 4, w: layout.width, h: layout.height - TOP + 4 });
    g.append('path').attr('class', 'partition-cut').attr('d', segs.map(([a, b]) => `M${a.x.toFixed(1)},${a.y.toFixed(1)}L${b.x.toFixed(1)},${b.y.toFixed(1)}`).join(''));
    g.append('text').attr('class', 'partition-name').attr('x', layout.width / 2).attr('y', 15).attr('text-anchor', 'middle').text(`✂ ${p.name}`);
  }
}

/** The centre of a host: its box, or its nodes' centroid (ring arrangement). */
function hostCentre(layout: RingLayout, host: string): Point | null {
  const box = layout.boxes.find((b) => b.host === host);
  if (box) return { x: box.x + box.w / 2, y: box.y + box.h / 2 };
  const ps = [...layout.hostOf].filter(([, h]) => h === host).map(([n]) => layout.pos.get(n)!);
  return ps.length ? { x: d3.mean(ps, (q) => q.x)!, y: d3.mean(ps, (q) => q.y)! } : null;
}

/**
 * The border between the sides of a partition: the edges of the hosts' Voronoi cells (within `frame`) that
 * separate hosts of different sides — one continuous cut whatever the arrangement.
 */
export function groupBoundary(sites: { group: number; at: Point }[], frame: { x: number; y: number; w: number; h: number }): [Point, Point][] {
  if (sites.length < 2) return [];
  const v = d3.Delaunay.from(sites, (s) => s.at.x, (s) => s.at.y).voronoi([frame.x, frame.y, frame.x + frame.w, frame.y + frame.h]);
  const out: [Point, Point][] = [];
  const d = (p: Point, q: Point) => Math.hypot(p.x - q.x, p.y - q.y);
  sites.forEach((si, i) => {
    const poly = v.cellPolygon(i);
    if (!poly) return;
    for (let k = 0; k + 1 < poly.length; k++) {
      const a = { x: poly[k][0], y: poly[k][1] };
      const b = { x: poly[k + 1][0], y: poly[k + 1][1] };
      const m = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      // the site on the other side of this edge: as near to its midpoint as site i is
      let j = -1;
      let best = Infinity;
      sites.forEach((sj, jj) => {
        if (jj === i) return;
        const diff = Math.abs(d(m, sj.at) - d(m, si.at));
        if (diff < best) [best, j] = [diff, jj];
      });
      if (j > i && best < 0.5 && sites[j].group !== si.group) out.push([a, b]);
    }
  });
  return out;
}
