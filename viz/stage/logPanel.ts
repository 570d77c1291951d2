// The event log (spec viz.md §4): every node's lines in Redis's log format up to the playhead, filtered by
// node and by event or text; clicking a line jumps there. Text goes in with textContent only.
import { formatClock } from '../../engine/sim/time.ts';
import { formatLogLine } from '../../engine/trace/logformat.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';
import type { FrameStore } from '../model/store.ts';

const SHOWN = 250;

/** One record as the CLI's log output prints it (`sentinel-sim run`), or null for records it leaves out. */
export function logText(r: TraceRecord): string | null {
  switch (r.k) {
    case 'log':
      return `${r.node} ${formatLogLine(r)}`;
    case 'fault':
      return `*** ${formatClock(r.t)} fault ${r.fault}${r.target ? ' ' + r.target : ''}${r.args ? ' ' + JSON.stringify(r.args) : ''}`;
    case 'proc':
      return r.ev === 'start' ? null : `*** ${formatClock(r.t)} ${r.node} ${r.ev}${r.reason ? ': ' + r.reason : ''}`;
    case 'note': {
      const d = (r.data ?? {}) as { ok?: boolean; text?: string; message?: string };
      if (r.what === 'note') return `*** ${formatClock(r.t)} note: ${d.text ?? ''}`;
      if (r.what === 'expect') return `*** ${formatClock(r.t)} expect ${d.ok ? 'ok' : 'FAILED'}: ${d.message ?? d.text ?? ''}`;
      if (r.what === 'error') return `*** ${formatClock(r.t)} scenario failed ${d.message ?? ''}`;
      // an application host (s.app): the master it believes in, its end (the viewer's own lines)
      const app = (r.data ?? {}) as { master?: string | null; error?: string | null };
      if (r.what === 'app-view') return `*** ${formatClock(r.t)} app ${r.node} believes the master is ${app.master ?? 'none'}`;
      if (r.what === 'app-done') return `*** ${formatClock(r.t)} app ${r.node} returned${app.error ? `: ${app.error}` : ''}`;
      if (r.what === 'app-error') return `*** ${formatClock(r.t)} app ${r.node} error: ${d.message ?? ''}`;
      return null;
    }
    default:
      return null;
  }
}

/** Whether logText(r) gives a line (without writing it: the filter runs over every logged record). */
function hasLine(r: TraceRecord): boolean {
  switch (r.k) {
    case 'log':
    case 'fault':
      return true;
    case 'proc':
      return r.ev !== 'start';
    case 'note':
      return r.what === 'note' || r.what === 'expect' || r.what === 'error' || r.what === 'app-view' || r.what === 'app-done' || r.what === 'app-error';
    default:
      return false;
  }
}

export class LogPanel {
  private store: FrameStore | null = null;
  private readonly list: HTMLOListElement;
  private readonly nodeSel: HTMLSelectElement;
  private readonly text: HTMLInputElement;
  private filtered: number[] = [];
  private filteredUpTo = 0;
  private shownKey = '';
  private lastT = 0;
  /** Scroll to the newest line at the start of the next frame (the layout is clean then: no forced layout). */
  private wantBottom = false;

  constructor(
    container: HTMLElement,
    private readonly onSeek: (t: number) => void,
  ) {
    const bar = document.createElement('div');
    bar.className = 'log-filters';
    this.nodeSel = document.createElement('select');
    this.nodeSel.setAttribute('aria-label', 'filter the log by node');
    this.text = document.createElement('input');
    this.text.type = 'search';
    this.text.placeholder = 'filter: +sdown, switch, 7003…';
    this.text.setAttribute('aria-label', 'filter the log by event or text');
    bar.append(this.nodeSel, this.text);
    this.list = document.createElement('ol');
    this.list.className = 'log-lines';
    // a scrolling region keyboard users can reach (and scroll with the arrows)
    this.list.tabIndex = 0;
    this.list.setAttribute('aria-label', 'event log lines up to the playhead');
    container.append(bar, this.list);
    const refilter = () => {
      this.filtered = [];
      this.filteredUpTo = 0;
      this.shownKey = '';
      this.render(this.lastT);
    };
    this.nodeSel.addEventListener('change', refilter);
    this.text.addEventListener('input', refilter);
    this.list.addEventListener('click', (ev) => {
      const li = (ev.target as HTMLElement).closest('li');
      if (li?.dataset.t) this.onSeek(Number(li.dataset.t));
    });
  }

  setStore(store: FrameStore): void {
    this.store = store;
    this.filtered = [];
    this.filteredUpTo = 0;
    this.shownKey = '';
    const seen = new Set<string>();
    for (const i of store.logIndex) {
      const r = store.records[i];
      if (r.k === 'log') seen.add(r.node);
    }
    const names = [...seen].sort();
    for (const n of store.header.topology.nodes) if (!names.includes(n.name)) names.push(n.name);
    const keep = this.nodeSel.value;
    this.nodeSel.replaceChildren();
    const all = new Option('all nodes', '');
    this.nodeSel.add(all);
    for (const n of names) this.nodeSel.add(new Option(n, n));
    this.nodeSel.value = names.includes(keep) ? keep : '';
  }

  private matches(r: TraceRecord): boolean {
    const node = this.nodeSel.value;
    if (node && !(r.k === 'log' ? r.node === node : r.k === 'fault' ? r.target === node : r.k === 'proc' || r.k === 'note' ? r.node === node : false)) return false;
    const q = this.text.value.trim();
    if (!q) return true;
    if (r.k === 'log' && r.event === q) return true;
    return (logText(r) ?? '').toLowerCase().includes(q.toLowerCase());
  }

  render(t: number): void {
    this.lastT = t;
    const store = this.store;
    if (!store) return;
    const idx = store.logIndex;
    for (let i = this.filteredUpTo; i < idx.length; i++) {
      const r = store.records[idx[i]];
      if (hasLine(r) && this.matches(r)) this.filtered.push(idx[i]);
    }
    this.filteredUpTo = idx.length;
    // the last SHOWN matching lines at or before t
    let lo = 0;
    let hi = this.filtered.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (store.records[this.filtered[mid]].t <= t) lo = mid + 1;
      else hi = mid;
    }
    const from = Math.max(0, lo - SHOWN);
    const key = `${from}:${lo}`;
    if (key === this.shownKey) return;
    const [pf, plo] = this.shownKey ? this.shownKey.split(':').map(Number) : [-1, -1];
    this.shownKey = key;
    const line = (i: number) => {
      const r = store.records[this.filtered[i]];
      const li = document.createElement('li');
      li.dataset.t = String(r.t);
      li.className = r.k === 'log' ? (r.event ? 'ev' : 'plain') : r.k;
      if (r.k === 'log' && r.event) li.dataset.event = r.event;
      li.textContent = logText(r);
      return li;
    };
    if (plo >= 0 && lo >= plo && from >= pf && from <= plo) {
      // playing forward: append the new lines, drop the oldest
      for (let i = plo; i < lo; i++) this.list.append(line(i));
      for (let n = from - pf; n > 0 && this.list.firstChild; n--) this.list.firstChild.remove();
    } else {
      const frag = document.createDocumentFragment();
      for (let i = from; i < lo; i++) frag.append(line(i));
      this.list.replaceChildren(frag);
    }
    this.wantBottom = true;
  }

  /**
   * Call first thing in a frame: the lines added in the last one are laid out by now, so scrolling to them
   * costs no layout of its own (setting scrollTop right after adding lines would force one, every frame).
   */
  scrollToEnd(): void {
    if (!this.wantBottom) return;
    this.wantBottom = false;
    this.list.scrollTop = this.list.scrollHeight;
  }
}
