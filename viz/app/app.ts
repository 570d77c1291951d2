// The page: inputs (scenario library, trace files, URL query), the stage, the timeline, the panels and
// live mode, wired around one FrameStore and one Player.
import { formatClock } from '../../engine/sim/time.ts';
import { FrameStore } from '../model/store.ts';
import { TraceFileError, TraceTextReader } from '../model/traceFile.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';
import type { ClusterState } from '../model/types.ts';
import { EpochsChart } from '../stage/epochsChart.ts';
import { Inspector } from '../stage/inspector.ts';
import { buildLegend } from '../stage/legend.ts';
import { LogPanel } from '../stage/logPanel.ts';
import { Stage } from '../stage/stage.ts';
import { Timeline } from '../stage/timeline.ts';
import { ActionMenu, ClientPanel } from './actions.ts';
import { button, el } from './dom.ts';
import { findScenario, libraryScenarios } from './library.ts';
import { Player, sliderFromSpeed, speedFromSlider, speedLabel } from './player.ts';
import { LiveSession, type Action } from './session.ts';

/** Wall-clock ms a message dot stays on screen at least, and a dropped one's cross after it. */
const DOT_MIN_WALL_MS = 300;
const DROP_LINGER_WALL_MS = 600;
/** Records parsed before the first frame of a trace file, and per background step after it. */
const FIRST_CHUNK = 5000;
const CHUNK = 40000;

export class App {
  store: FrameStore | null = null;
  session: LiveSession | null = null;
  sourceName = '';
  selected: string | null = null;
  readonly player: Player;
  private readonly stage: Stage;
  private readonly timeline: Timeline;
  private readonly log: LogPanel;
  private readonly inspector: Inspector;
  private readonly epochs: EpochsChart;
  private readonly menu: ActionMenu;
  private readonly client: ClientPanel;
  private readonly ui;
  private lastDrawKey = '';
  private loads = 0;
  /** performance.now() of the first frame drawn after the last load (the first-frame benchmark reads it). */
  firstFrameAt = 0;
  private needFirstFrame = false;

  constructor(root: HTMLElement) {
    const scenarioSel = el('select', { id: 'scenario', ariaLabel: 'scenario from the library' });
    for (const s of libraryScenarios()) scenarioSel.add(new Option(s.name, s.name));
    const seed = el('input', { id: 'seed', type: 'text', value: '', placeholder: 'seed', size: 6, ariaLabel: 'seed' });
    const fileInput = el('input', { id: 'trace-file', type: 'file', accept: '.json,application/json', hidden: true });
    const status = el('span', { id: 'status', role: 'status' });
    const error = el('div', { id: 'error', role: 'alert', hidden: true });
    const playBtn = button('▶', () => this.player.toggle(), { id: 'play', title: 'play / pause (space)', ariaLabel: 'play or pause' });
    const speed = el('input', { id: 'speed', type: 'range', min: '-2', max: '2', step: '0.01', value: '0', ariaLabel: 'speed' });
    const speedOut = el('output', { id: 'speed-label', textContent: '1×' });
    const timeLabel = el('output', { id: 'time-label', textContent: '00:00:00.000' });
    const epochBadge = el('span', { id: 'epoch-badge', className: 'badge' });
    const masterBadge = el('span', { id: 'master-badge', className: 'badge' });
    const liveBadge = el('span', { id: 'live-badge', className: 'badge live' });
    const failoverBtn = button('SENTINEL FAILOVER', () => this.sentinelFailover(), { id: 'failover', title: 'SENTINEL FAILOVER <master> on the first running Sentinel' });

    const header = el(
      'header',
      {},
      el('h1', { textContent: 'sentinel-sim' }),
      el('label', {}, 'scenario ', scenarioSel),
      el('label', {}, 'seed ', seed),
      button('run', () => this.loadScenario(scenarioSel.value, seed.value.trim() || undefined), { id: 'run' }),
      button('open trace…', () => fileInput.click(), { id: 'open', title: 'a file written by sentinel-sim run --trace (or drop it on the page)' }),
      fileInput,
      status,
    );
    const controls = el(
      'div',
      { className: 'controls' },
      button('◀ prev', () => this.step(-1), { title: 'previous event (←)', ariaLabel: 'previous event', id: 'step-back' }),
      playBtn,
      button('next ▶', () => this.step(1), { title: 'next event (→)', ariaLabel: 'next event', id: 'step-forward' }),
      el('label', { className: 'speed' }, 'speed ', speed, speedOut),
      timeLabel,
      epochBadge,
      masterBadge,
      liveBadge,
      failoverBtn,
    );
    const stageBox = el('section', { className: 'stage-box', ariaLabel: 'cluster' });
    const timelineBox = el('section', { className: 'timeline-box', ariaLabel: 'timeline' });
    const inspectorBox = el('section', { className: 'panel inspector' }, el('h2', { textContent: 'Inspector' }));
    const epochsBox = el('section', { className: 'panel epochs-box' }, el('h2', { textContent: 'Current epoch per Sentinel' }));
    const clientBox = el('section', { className: 'panel client' }, el('h2', { textContent: 'Client (live)' }));
    const logBox = el('section', { className: 'panel log' }, el('h2', { textContent: 'Event log' }));
    const legendBox = el('details', { className: 'panel legend-box' }, el('summary', { textContent: 'Legend and keys' }));
    legendBox.append(el('p', { className: 'hint', textContent: 'space: play/pause · ←/→: previous/next event · shift+←/→: ∓1 s · +/−: speed · click a node or a link to act (live)' }));
    buildLegend(legendBox);
    const left = el('div', { className: 'col-left' }, controls, stageBox, timelineBox);
    const right = el('div', { className: 'col-right' }, inspectorBox, epochsBox, clientBox, legendBox);
    root.append(header, error, el('main', { className: 'layout' }, left, right, logBox));
    this.ui = { scenarioSel, seed, fileInput, status, error, playBtn, speed, speedOut, timeLabel, epochBadge, masterBadge, liveBadge, failoverBtn };

    this.stage = new Stage(stageBox, {
      onNode: (n, ev) => this.clickNode(n, ev),
      onLink: (a, b, ev) => this.menu.forLink(a, b, ev),
    });
    this.timeline = new Timeline(timelineBox, (t) => this.seek(t));
    this.log = new LogPanel(logBox, (t) => this.seek(t));
    this.inspector = new Inspector(inspectorBox, (node) => this.liveKeyspace(node));
    this.epochs = new EpochsChart(epochsBox);
    this.menu = new ActionMenu((a) => this.act(a), () => (this.session ? null : 'This run was loaded from a trace file: pick a scenario and press run to act on a live cluster.'));
    this.client = new ClientPanel(clientBox, (node, argv) => this.act({ op: 'exec', node, argv }));
    this.player = new Player((t) => this.limit(t), () => this.draw());

    speed.addEventListener('input', () => this.player.setSpeed(speedFromSlider(Number(speed.value))));
    fileInput.addEventListener('change', () => {
      const f = fileInput.files?.[0];
      if (f) void this.openFile(f);
      fileInput.value = '';
    });
    document.addEventListener('dragover', (e) => e.preventDefault());
    document.addEventListener('drop', (e) => {
      e.preventDefault();
      const f = e.dataTransfer?.files?.[0];
      if (f) void this.openFile(f);
    });
    document.addEventListener('keydown', (e) => this.key(e));
  }

  // ---- inputs -------------------------------------------------------------------------------

  /** Run a library scenario in the page (live: the engine keeps running when played past the end). */
  loadScenario(name: string, seed?: string): boolean {
    const sc = findScenario(name);
    if (!sc) {
      this.fail(`unknown scenario '${name}' (the library has: ${libraryScenarios().map((s) => s.name).join(', ')})`);
      return false;
    }
    const s = seed ?? String(sc.seed ?? 1);
    this.ui.scenarioSel.value = name;
    this.ui.seed.value = s;
    const t0 = performance.now();
    let session: LiveSession;
    try {
      session = new LiveSession({ scenario: sc, seed: s, cut: Infinity, actions: [] });
    } catch (e) {
      this.fail(`scenario ${name} could not start: ${(e as Error).message}`);
      return false;
    }
    this.useSession(session, `${name} (seed ${s})`);
    this.setStatus(`ran ${name} seed ${s} in ${Math.round(performance.now() - t0)} ms${session.scriptError ? ` — the script failed: ${session.scriptError}` : ''}`);
    const url = new URL(location.href);
    url.searchParams.set('scenario', name);
    url.searchParams.set('seed', s);
    url.searchParams.delete('trace');
    history.replaceState(null, '', url);
    return true;
  }

  private useSession(session: LiveSession, label: string, keepT?: number): void {
    this.loads++;
    this.session = session;
    this.setStore(new FrameStore(session.header, session.records, (i) => session.msgEnds.get(i)), label, keepT);
  }

  async openFile(f: File): Promise<void> {
    this.loadTraceText(await f.text(), f.name);
  }

  async openUrl(url: string): Promise<void> {
    let text: string;
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      text = await res.text();
    } catch (e) {
      this.fail(`cannot load trace ${url}: ${(e as Error).message}`);
      return;
    }
    this.loadTraceText(text, url.split('/').pop() ?? url);
  }

  /** Open a trace file's text: the first records are drawn at once, the rest are read in the background. */
  loadTraceText(text: string, name: string): boolean {
    let reader: TraceTextReader;
    let first: TraceRecord[];
    try {
      reader = new TraceTextReader(text, name);
      first = reader.next(FIRST_CHUNK);
    } catch (e) {
      this.fail(e instanceof TraceFileError ? e.message : `${name}: ${(e as Error).message}`);
      return false;
    }
    this.session = null;
    const store = new FrameStore(reader.header, first);
    const label = `${name} (${reader.header.scenario}, seed ${reader.header.seed})`;
    this.setStore(store, label);
    const load = ++this.loads;
    this.setStatus(`${name}: reading…`);
    const more = () => {
      if (load !== this.loads) return; // another source was opened meanwhile
      try {
        const chunk = reader.next(CHUNK);
        if (chunk.length > 0) {
          for (const r of chunk) store.records.push(r);
          store.ingest();
          this.timeline.setData(store.endT, store.markers, true);
          this.epochs.setData(store.epochs, store.endT);
          this.log.setStore(store);
          this.setStatus(`${name}: ${store.records.length} records, ${formatClock(store.endT)} so far…`);
          setTimeout(more, 0);
          return;
        }
      } catch (e) {
        this.fail(e instanceof TraceFileError ? e.message : `${name}: ${(e as Error).message}`);
        return;
      }
      const bad = reader.verify(store.records);
      if (bad) this.fail(bad);
      else this.setStatus(`${name}: ${store.records.length} records, ${formatClock(store.endT)}, sha256 ${reader.sha256.slice(0, 12)}… verified`);
    };
    setTimeout(more, 0);
    return true;
  }

  private setStore(store: FrameStore, label: string, keepT?: number): void {
    this.store = store;
    this.sourceName = label;
    this.ui.error.hidden = true;
    const nodes = Object.values(store.last.nodes).map((n) => ({ name: n.name, kind: n.kind, host: n.host }));
    this.stage.setTopology(nodes);
    this.timeline.setData(store.endT, store.markers);
    this.epochs.setData(store.epochs, store.endT);
    this.log.setStore(store);
    this.client.setNodes(nodes.filter((n) => n.kind !== 'client').map((n) => n.name));
    this.player.pause();
    this.player.seek(keepT ?? 0);
    if (this.selected && !store.last.nodes[this.selected]) this.selected = null;
    this.lastDrawKey = '';
    this.needFirstFrame = true;
    document.body.dataset.ready = 'true';
    document.body.dataset.source = this.session ? 'live' : 'file';
  }

  // ---- time ---------------------------------------------------------------------------------

  private limit(t: number): number {
    const store = this.store;
    if (!store) return 0;
    if (this.session && t > store.endT) {
      // live: the engine runs on as the playhead moves past the end of what is recorded
      this.session.advance(t);
      store.ingest();
      this.timeline.setData(Math.max(store.endT, t), store.markers, true);
      this.epochs.setData(store.epochs, Math.max(store.endT, t));
      return t;
    }
    return Math.min(t, Math.max(store.endT, this.session?.now ?? 0));
  }

  seek(t: number): void {
    if (!Number.isFinite(t)) return;
    this.player.seek(t);
  }

  step(dir: 1 | -1): void {
    const s = this.store;
    if (!s) return;
    this.player.pause();
    const t = dir > 0 ? s.nextEventTime(this.player.t) : s.prevEventTime(this.player.t);
    if (t !== null) this.player.seek(t);
  }

  private key(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    const tag = target.tagName;
    if ((tag === 'INPUT' && (target as HTMLInputElement).type !== 'range') || tag === 'SELECT' || tag === 'TEXTAREA') return;
    if (e.key === ' ' || e.key === 'k') {
      e.preventDefault();
      this.player.toggle();
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const dir = e.key === 'ArrowRight' ? 1 : -1;
      if (e.shiftKey) this.seek(this.player.t + dir * 1_000_000);
      else this.step(dir);
    } else if (e.key === '+' || e.key === '=' || e.key === '-') {
      const v = Math.max(-2, Math.min(2, Number(this.ui.speed.value) + (e.key === '-' ? -0.25 : 0.25)));
      this.ui.speed.value = String(v);
      this.player.setSpeed(speedFromSlider(v));
    } else if (e.key === 'Home') this.seek(0);
    else if (e.key === 'End' && this.store) this.seek(this.store.endT);
  }

  // ---- live mode ----------------------------------------------------------------------------

  private clickNode(node: string, ev: MouseEvent): void {
    this.selected = node;
    this.client.select(node);
    const n = this.store?.stateAt(this.player.t).nodes[node];
    this.menu.forNode(node, n?.kind ?? 'node', n?.proc ?? 'running', ev);
  }

  /** Act on the cluster at the playhead: directly at the live head, else fork the timeline there. */
  act(a: Action): string | null {
    const session = this.session;
    if (!session) {
      this.fail('This run was loaded from a trace file: pick a scenario and press run to act on a live cluster.');
      return null;
    }
    const t = Math.round(this.player.t);
    let s = session;
    if (t < session.now) {
      const r = session.recipe;
      const recipe = t >= r.cut ? { ...r, actions: r.actions.filter((x) => x.t <= t) } : { ...r, cut: t, actions: [] };
      try {
        s = new LiveSession(recipe);
      } catch (e) {
        this.fail(`fork failed: ${(e as Error).message}`);
        return null;
      }
    } else session.advance(t);
    const reply = s.act(a);
    if (s !== session) this.useSession(s, `${r0(s)} (forked at ${formatClock(t)})`, t);
    else {
      this.store!.ingest();
      this.timeline.setData(Math.max(this.store!.endT, this.player.t), this.store!.markers, true);
      this.epochs.setData(this.store!.epochs, this.store!.endT);
    }
    this.lastDrawKey = '';
    const forked = s !== session ? `forked the timeline at ${formatClock(t)}: ` : '';
    if (a.op !== 'exec' && a.op !== 'sentinel-failover') this.setStatus(`${forked}${a.op}${'node' in a ? ' ' + a.node : 'a' in a ? ` ${a.a} ↔ ${a.b}` : ''} at ${formatClock(t)}`);
    else this.setStatus(`${forked}${a.op === 'exec' ? a.argv.join(' ') : 'SENTINEL FAILOVER'} → ${reply.split('\n')[0]}`);
    return reply;
  }

  private sentinelFailover(): void {
    const st = this.store?.stateAt(this.player.t);
    const s = st && Object.values(st.nodes).find((n) => n.kind === 'sentinel' && n.proc === 'running');
    if (!s) {
      this.fail('no running Sentinel');
      return;
    }
    this.act({ op: 'sentinel-failover', node: s.name });
  }

  private liveKeyspace(node: string) {
    const s = this.session;
    if (!s || Math.abs(this.player.t - s.now) > 1) return null;
    const dbs = s.keyspace(node);
    return dbs ? { dbs, at: s.now } : null;
  }

  // ---- drawing ------------------------------------------------------------------------------

  private draw(): void {
    const store = this.store;
    if (!store) return;
    const t = this.player.t;
    const speed = this.player.speed;
    const key = `${t}|${speed}|${this.player.playing}|${this.selected}|${store.records.length}`;
    if (key === this.lastDrawKey) return;
    this.lastDrawKey = key;
    const st = store.stateAt(t);
    const dots = store.dotsAt(t, { minVisibleUs: DOT_MIN_WALL_MS * 1000 * speed, dropLingerUs: DROP_LINGER_WALL_MS * 1000 * speed, max: 400 });
    this.stage.render(st, dots, { selected: this.selected, paused: !this.player.playing });
    this.timeline.render(t);
    this.log.render(t);
    this.inspector.render(st, this.selected);
    this.epochs.render(t, this.timeline.domain);
    this.badges(st, t);
    if (this.needFirstFrame) {
      this.needFirstFrame = false;
      this.firstFrameAt = performance.now();
      document.body.dataset.frames = String(Number(document.body.dataset.frames ?? 0) + 1);
    }
  }

  private badges(st: ClusterState, t: number): void {
    const ui = this.ui;
    const set = (e: HTMLElement, text: string) => {
      if (e.textContent !== text) e.textContent = text;
    };
    set(ui.playBtn, this.player.playing ? '⏸' : '▶');
    set(ui.speedOut, speedLabel(this.player.speed));
    const sv = String(sliderFromSpeed(this.player.speed));
    if (document.activeElement !== ui.speed && ui.speed.value !== sv) ui.speed.value = sv;
    set(ui.timeLabel, `${formatClock(t)} / ${formatClock(Math.max(this.store!.endT, this.session?.now ?? 0))}`);
    const epochs = Object.values(st.nodes).flatMap((n) => (n.kind === 'sentinel' && n.currentEpoch !== null ? [n.currentEpoch] : []));
    const maxEpoch = epochs.length ? Math.max(...epochs) : null;
    set(ui.epochBadge, maxEpoch === null ? 'epoch ?' : `epoch ${maxEpoch}`);
    ui.epochBadge.dataset.epoch = maxEpoch === null ? '' : String(maxEpoch);
    const masters = Object.values(st.nodes).filter((n) => n.kind === 'server' && n.role === 'master' && n.proc === 'running').map((n) => n.name);
    set(ui.masterBadge, `master ${masters.join(', ') || 'none'}`);
    ui.masterBadge.dataset.masters = masters.join(',');
    set(ui.liveBadge, this.session ? (t >= this.session.now ? 'live' : 'live (acting forks here)') : 'trace file');
    ui.failoverBtn.disabled = !this.session;
  }

  private setStatus(text: string): void {
    this.ui.status.textContent = text;
  }

  fail(message: string): void {
    this.ui.error.textContent = message;
    this.ui.error.hidden = false;
  }
}

const r0 = (s: LiveSession) => `${s.recipe.scenario.name} (seed ${s.recipe.seed})`;
