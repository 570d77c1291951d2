// The legend: node shapes and colours, message kinds (each with the shape and colour the stage draws it
// with), marks (spec viz.md §6).
import { EVENT_FAMILIES, OTHER_EVENTS } from './events.ts';
import { MESSAGE_GROUPS, NODE_COLORS, OKABE_ITO, MARKER_COLORS, OTHER_MESSAGE, shapePath, textOn, type MessageShape } from './palette.ts';

const SVG = 'http://www.w3.org/2000/svg';

/** A 14 px swatch: a message shape in its colour, or a square of colour with a glyph. */
function swatch(kind: 'shape' | 'box', color: string, shape?: MessageShape, glyph?: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('viewBox', '-8 -8 16 16');
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('swatch');
  if (kind === 'shape' && shape) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', shapePath(shape, 4.5));
    p.setAttribute('fill', color);
    p.setAttribute('stroke', '#222');
    p.setAttribute('stroke-width', '0.6');
    p.dataset.shape = shape;
    svg.append(p);
  } else {
    const r = document.createElementNS(SVG, 'rect');
    for (const [k, v] of Object.entries({ x: '-7', y: '-7', width: '14', height: '14', rx: '3', fill: color, stroke: '#555' })) r.setAttribute(k, v);
    svg.append(r);
    if (glyph) {
      const t = document.createElementNS(SVG, 'text');
      t.setAttribute('text-anchor', 'middle');
      t.setAttribute('dominant-baseline', 'central');
      t.setAttribute('font-size', '10');
      t.setAttribute('font-weight', '700');
      t.setAttribute('fill', textOn(color));
      t.textContent = glyph;
      svg.append(t);
    }
  }
  return svg;
}

export function buildLegend(container: HTMLElement): void {
  const ul = document.createElement('ul');
  ul.className = 'legend';
  const add = (cls: string, sw: SVGSVGElement, text: string, data?: Record<string, string>) => {
    const li = document.createElement('li');
    li.className = `legend-${cls}`;
    if (data) Object.assign(li.dataset, data);
    const t = document.createElement('span');
    t.textContent = text;
    li.append(sw, t);
    ul.append(li);
  };
  add('node', swatch('box', NODE_COLORS.master, undefined, 'M'), '● master (circle)');
  add('node', swatch('box', NODE_COLORS.replica, undefined, 'R'), '● replica (circle)');
  add('node', swatch('box', NODE_COLORS.sentinel, undefined, 'S'), '◆ Sentinel (diamond)');
  add('node', swatch('box', NODE_COLORS.app, undefined, 'A'), '▢ application host, s.app (rounded square)');
  add('node', swatch('box', NODE_COLORS.down, undefined, '✕'), '✕ crashed / host down');
  add('node', swatch('box', '#ffffff', undefined, '❚❚'), '❚❚ paused · TILT badge: Sentinel in TILT');
  add('ring', swatch('box', MARKER_COLORS.sdown), '◌ dashed ring: some Sentinel holds it sdown');
  add('ring', swatch('box', MARKER_COLORS.odown), '◯ thick ring: odown');
  add('cut', swatch('box', MARKER_COLORS.odown), '┃ bar across a link: partition (one-way: nearer the receiver)');
  add('cut', swatch('box', '#666666'), '┄ dashed link: lossy');
  add('msg', swatch('box', '#ffffff', undefined, '✕'), '✕ on a link: a dropped message');
  for (const g of MESSAGE_GROUPS) add('msg', swatch('shape', g.color, g.shape), `${g.shape}: ${g.label}`, { shape: g.shape, kinds: g.kinds.join(' ') });
  add('msg', swatch('shape', OTHER_MESSAGE.color, OTHER_MESSAGE.shape), `${OTHER_MESSAGE.shape}: any other message`, { shape: OTHER_MESSAGE.shape, kinds: '' });
  // Sentinel's reasoning (reasoning.ts)
  add('reason', swatch('box', '#333333'), '━ bar from a Sentinel along a link: time since its PING went unanswered, towards down-after-milliseconds (vermillion: it holds the instance sdown)');
  add('reason', swatch('box', '#000000'), '◔ arc around a Sentinel: election timeout, failover-timeout, or (grey) the wait before its next try');
  add('reason', swatch('box', OKABE_ITO.purple), '⇢ dashed purple arrow: a vote request (is-master-down-by-addr with the candidate\'s runid)');
  add('reason', swatch('box', OKABE_ITO.green), '→ green arrow: a vote for the candidate; grey dashed: a vote for another');
  add('reason', swatch('box', OKABE_ITO.green), '◯ ring spreading from a Sentinel: it sent a hello (green) or an INFO request (dashed blue) — its cadence');
  add('reason', swatch('box', '#ffffff'), 'in the middle of the ring: the tally, "k/n votes, needs m" with m = max(quorum, majority)');
  for (const f of [...EVENT_FAMILIES, OTHER_EVENTS]) add('event', swatch('box', '#ffffff', undefined, f.glyph), `${f.glyph} tag: ${f.label}`, { family: f.family });
  const note = document.createElement('li');
  note.className = 'legend-note';
  note.textContent = 'Message dots stay on screen at least 0.3 s of wall time: sub-millisecond hops are stretched so they can be seen.';
  ul.append(note);
  container.append(ul);
}
