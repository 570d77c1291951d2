// The legend: node shapes and colours, message kinds, marks (spec viz.md §6).
import { MESSAGE_GROUPS, NODE_COLORS, MARKER_COLORS } from './palette.ts';

export function buildLegend(container: HTMLElement): void {
  const items: [string, string, string][] = [
    ['node', NODE_COLORS.master, '● M  master'],
    ['node', NODE_COLORS.replica, '● R  replica'],
    ['node', NODE_COLORS.sentinel, '◆ S  Sentinel'],
    ['node', NODE_COLORS.down, '✕  crashed / host down'],
    ['node', '#000', '❚❚  paused · TILT badge: Sentinel in TILT'],
    ['ring', MARKER_COLORS.sdown, '◌ dashed ring: some Sentinel holds it sdown'],
    ['ring', MARKER_COLORS.odown, '◯ thick ring: odown'],
    ['cut', MARKER_COLORS.odown, '┃ bar across a link: partition (one-way: nearer the receiver)'],
    ['cut', '#666', '┄ dashed link: lossy'],
    ['msg', MARKER_COLORS.odown, '✕ on a link: a dropped message'],
  ];
  for (const g of MESSAGE_GROUPS) items.push(['msg', g.color, `• ${g.label}`]);
  const ul = document.createElement('ul');
  ul.className = 'legend';
  for (const [kind, color, text] of items) {
    const li = document.createElement('li');
    li.className = `legend-${kind}`;
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = color;
    const t = document.createElement('span');
    t.textContent = text;
    li.append(sw, t);
    ul.append(li);
  }
  const note = document.createElement('li');
  note.className = 'legend-note';
  note.textContent = 'Message dots stay on screen at least 0.3 s of wall time: sub-millisecond hops are stretched so they can be seen.';
  ul.append(note);
  container.append(ul);
}
