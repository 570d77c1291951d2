// The page: the shell (shell.ts), the stage, the timeline and the panels around one FrameStore and one
// Player; live runs in workers (live.ts) and trace files (traceLoad.ts) feed it. Drawing happens once per
// animation frame, and only what changed: the log and the panels at most a few times a second while playing.
import { formatClock } from '../../engine/sim/time.ts';
import type { FrameStore } from '../model/store.ts';
import type { ClusterState } from '../model/types.ts';
import { EpochsChart } from '../stage/epochsChart.ts';
import { Inspector } from '../stage/inspector.ts';
import { LogPanel } from '../stage/logPanel.ts';
import { ReasoningView } from '../stage/reasoningView.ts';
import { Stage } from '../stage/stage.ts';
import { Timeline, type AppLanes } from '../stage/timeline.ts';
import { ActionMenu, ClientPanel } from './actions.ts';
import { BranchPanel, BranchTree } from './branches.ts';
import type { BranchPlan } from './fork.ts';
import { playerKey } from './keys.ts';
import { LiveRuns } from './live.ts';
import { Player, sliderFromSpeed, speedFromSlider, speedLabel } from './player.ts';
import type { RemoteSession } from './remote.ts';
import { buildShell, type Shell } from './shell.ts';
import { Tour } from './tour.ts';
import { TraceLoader } from './traceLoad.ts';

/** Wall-clock ms a message dot stays on screen at least, and a dropped one's cross after it. */
const DOT_MIN_WALL_MS = 300;
const DROP_LINGER_WALL_MS = 600;
/** Wall ms between redraws of the event log, the inspector and the epochs chart while playing. */
const PANEL_MS = 120;
/** The text panels: the log, the inspector, the epochs chart, the reasoning panel. */
const PANELS = 4;
/** Wall ms between redraws of the timeline and the epochs chart while a store grows. */
const TIMELINE_MS = 300;

export class App {
  store: FrameStore | null = null;
  sourceName = '';
  selected: string | null = null;
  readonly player: Player;
  readonly tour: Tour;
  readonly branches = new BranchTree();
  readonly live: LiveRuns;
  private readonly loader: TraceLoader;
  private readonly stage: Stage;
  private readonly timeline: Timeline;
  private readonly log: LogPanel;
  private readonly inspector: Inspector;
  private readonly reasoning: ReasoningView;
  private readonly epochs: EpochsChart;
  private readonly menu: ActionMenu;
  private readonly client: ClientPanel;
  private readonly branchPanel: BranchPanel;
  private readonly ui: Shell;
  private lastDrawKey = '';
  private lastPanels = 0;
  private loads = 0;
  private seeks = 0;
  /** performance.now() of the first frame drawn after the last load (the first-frame benchmark reads it). */
  firstFrameAt = 0;
  /** Records the store held when that frame was drawn (a streamed file: fewer than the file has). */
  firstFrameRecords = 0;
  private needFirstFrame = false;

  constructor(root: HTMLElement) {
    const ui = (this.ui = buildShell(root, {
      run: (name, seed) => this.loadScenario(name, seed),
      tour: () => void this.tour.start(),
      cancel: () => this.live.cancelRun(),
      toggle: () => this.player.toggle(),
      step: (dir) => this.step(dir),
      sentinelFailover: () => this.live.sentinelFailover(this.runningSentinel()),
    }));
    const b = ui.boxes;
    this.stage = new Stage(b.stage, {
      onNode: (n, ev) => this.clickNode(n, ev),
      onLink: (x, y, ev) => this.menu.forLink(x, y, ev),
    });
    this.timeline = new Timeline(b.timeline, (t) => void this.seek(t));
    this.log = new LogPanel(b.log, (t) => void this.seek(t));
    this.inspector = new Inspector(b.inspector, (node) => this.live.keyspace(node, this.player.t, () => this.invalidate()));
    this.reasoning = new ReasoningView(this.stage.svg, b.reasoning, (n, i) => this.stage.overlaySpot(n, i));
    this.inspector.extraLines = (node) => (this.store ? this.reasoning.timerLines(this.store, this.store.stateAt(this.player.t), node, this.player.t) : []);
    const app = this;
    this.tour = new Tour(root, {
      get store() { return app.store; },
      get session() { return app.session; },
      loadScenario: (name) => this.loadScenario(name),
      seek: (t) => void this.seek(t),
      pause: () => this.player.pause(),
      index: (store) => this.reasoning.index(store),
    });
    this.epochs = new EpochsChart(b.epochs);
    this.menu = new ActionMenu((a) => this.live.act(a), () => (this.session ? null : 'This run was loaded from a trace file: pick a scenario and press run to act on a live cluster.'));
    this.client = new ClientPanel(b.client, (node, argv, db) => this.live.command(node, argv, db));
    this.branchPanel = new BranchPanel(b.branches, {
      switchTo: (id) => void this.live.switchBranch(id),
      seek: (t) => void this.seek(t),
      exportFile: () => this.live.showExport(),
      copyLink: () => void this.live.copyLink(),
    });
    this.player = new Player((t) => this.limit(t), () => this.draw(), () => this.session !== null && !this.session.isCancelled);
    this.live = new LiveRuns({
      get t() { return app.player.t; },
      get speed() { return app.player.speed; },
      get playing() { return app.player.playing; },
      pause: () => this.player.pause(),
      seekNow: (t) => this.player.seek(t),
      showStore: (store, label, keepT, streaming) => this.setStore(store, label, keepT, streaming),
      grew: (store, withUi) => this.grew(store, withUi),
      index: (store) => void this.reasoning.index(store),
      nextLoad: () => ++this.loads,
      current: (load) => load === this.loads,
      setStatus: (text) => this.setStatus(text),
      loading: (text) => this.loading(text),
      fail: (m) => this.fail(m),
      progress: ui.progress,
      cancel: ui.cancel,
      exportDialog: ui.exportDialog,
      client: this.client,
      branchPanel: this.branchPanel,
      branches: this.branches,
    });
    this.loader = new TraceLoader({
      nextLoad: () => ++this.loads,
      current: (load) => load === this.loads,
      showStore: (store, label) => {
        this.live.detach();
        this.setStore(store, label);
      },
      grew: (store, full) => {
        this.grew(store, true);
        if (full) this.log.setStore(store);
      },
      setStatus: (text) => this.setStatus(text),
      loading: (text) => this.loading(text),
      fail: (m) => this.fail(m),
      done: () => (document.body.dataset.load = 'done'),
    });

    const { speed, fileInput } = ui;
    speed.addEventListener('input', () => this.player.setSpeed(speedFromSlider(Number(speed.value))));
    // dragged with the pointer, the slider gives the arrow keys back to the player (a keyboard user who
    // tabbed to it keeps them: its own arrows change the speed, and only that)
    speed.addEventListener('pointerup', () => speed.blur());
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
    document.addEventListener('keydown', (e) =>
      playerKey(e, {
        toggle: () => this.player.toggle(),
        step: (dir) => this.step(dir),
        nudge: (dus) => void this.seek(this.player.t + dus),
        speedBy: (dv) => {
          const v = Math.max(-2, Math.min(2, Number(ui.speed.value) + dv));
          ui.speed.value = String(v);
          this.player.setSpeed(speedFromSlider(v));
        },
        home: () => void this.seek(0),
        end: () => void (this.store && this.seek(this.endT)),
      }),
    );
  }

  /** The live session shown (null: a trace file). */
  get session(): RemoteSession | null {
    return this.live.session;
  }

  // ---- inputs (live.ts, traceLoad.ts) ---------------------------------------------------------

  loadScenario(name: string, seed?: string, branch?: { plan: BranchPlan; end: number | null; t?: number | null }, opts: { t?: number | null } = {}): boolean {
    const r = this.live.loadScenario(name, seed, branch, opts);
    if (r) {
      this.ui.scenarioSel.value = r.name;
      this.ui.seed.value = r.seed;
    }
    return r !== null;
  }

  openFile(f: File): Promise<void> {
    return this.loader.openFile(f);
  }

  openUrl(url: string): Promise<void> {
    return this.loader.openUrl(url);
  }

  loadTraceText(text: string, name: string): boolean {
    return this.loader.loadTraceText(text, name);
  }

  cancelRun(): void {
    this.live.cancelRun();
  }

  /** Resolves when every queued action and run is done (tests wait on it). */
  idle(): Promise<void> {
    return this.live.idle();
  }

  branchUrl(): string {
    return this.live.branchUrl();
  }

  /** The messages the stage drew in its last frame: kind, shape (SVG path) and colour (tests read them). */
  drawnDots(): { kind: string; d: string; fill: string; dead: boolean }[] {
    return this.stage.drawnDots();
  }

  exportBranch(from?: string): ReturnType<LiveRuns['exportBranch']> {
    return this.live.exportBranch(from);
  }

  private setStore(store: FrameStore, label: string, keepT?: number, streaming = false): void {
    this.ui.attachPanels();
    this.store = store;
    this.sourceName = label;
    this.ui.error.hidden = true;
    const nodes = this.placeNodes(store);
    this.timelineData(store, false);
    this.log.setStore(store);
    this.client.setNodes(nodes.filter((n) => n.kind !== 'client').map((n) => n.name));
    this.player.pause();
    this.player.seek(keepT ?? 0);
    if (this.selected && !store.last.nodes[this.selected]) this.selected = null;
    this.invalidate();
    this.needFirstFrame = true;
    this.staggered = PANELS;
    // a live run still in its worker is ready once it has run (loadScenario); a trace file at its first frame
    if (!streaming) document.body.dataset.ready = 'true';
    document.body.dataset.source = this.session ? 'live' : 'file';
    if (!this.session) {
      this.branchPanel.clear();
      this.client.setHistory([]);
    }
  }

  /** The shown store has grown: the timeline and the epochs follow (`withUi`), the next frame redraws. */
  /** The stage's nodes from `store` (an application host is known by its notes, so it may come later). */
  private placeNodes(store: FrameStore): { name: string; kind: string; host: string; app: boolean }[] {
    const nodes = Object.values(store.last.nodes).map((n) => ({ name: n.name, kind: n.kind, host: n.host, app: n.kind === 'client' && n.app !== undefined }));
    this.placedApps = store.appViews.size;
    this.stage.setTopology(nodes);
    return nodes;
  }

  /** How many application hosts the stage has placed (a streamed trace may name more later). */
  private placedApps = 0;

  private grew(store: FrameStore, withUi: boolean): void {
    if (store !== this.store) return;
    if (store.appViews.size !== this.placedApps) this.placeNodes(store);
    if (withUi) this.timelineData(store, true);
    this.invalidate();
  }

  private timelineDue: { store: FrameStore; keepZoom: boolean } | null = null;
  /** performance.now() of the timeline's last redraw. */
  private timelineAt = -Infinity;

  /**
   * The timeline and the epochs chart take `store`'s markers and end in a task of their own (they redraw every
   * mark: not in the task that indexed the records or showed the store). Several calls before it runs make one.
   */
  private timelineData(store: FrameStore, keepZoom: boolean): void {
    const due = this.timelineDue;
    if (due) {
      due.store = store;
      due.keepZoom &&= keepZoom;
      return;
    }
    this.timelineDue = { store, keepZoom };
    // a store growing (a run streaming in) redraws them at most every TIMELINE_MS: each redraw joins every mark
    const wait = keepZoom ? Math.max(0, this.timelineAt + TIMELINE_MS - performance.now()) : 0;
    setTimeout(() => {
      const d = this.timelineDue!;
      this.timelineDue = null;
      this.timelineAt = performance.now();
      if (d.store !== this.store) return;
      this.timeline.setData(this.endT, d.store.markers, d.keepZoom, appLanes(d.store));
      this.epochs.setData(d.store.epochs, this.endT);
      this.invalidate();
    }, wait);
  }

  private invalidate(): void {
    this.lastDrawKey = '';
  }

  // ---- time ---------------------------------------------------------------------------------

  /** The end of what can be shown: the trace's last record, or the live engine's head. */
  get endT(): number {
    return Math.max(this.store?.endT ?? 0, this.session?.now ?? 0);
  }

  private limit(t: number): number {
    if (!this.store) return 0;
    if (this.player.playing) this.live.runAhead(t);
    return Math.min(t, this.endT);
  }

  /**
   * Move the playhead to `t`. Live, past the engine's head, the engine runs there first (in its worker): the
   * returned promise resolves once the playhead is there (or another seek came first).
   */
  async seek(t: number): Promise<void> {
    if (!Number.isFinite(t)) return;
    const n = ++this.seeks;
    this.player.seek(t);
    const s = this.session;
    if (!s || !s.ready || t <= this.endT) return;
    if ((await this.live.advanceTo(t)) && n === this.seeks) this.player.seek(t);
  }

  step(dir: 1 | -1): void {
    const s = this.store;
    if (!s) return;
    this.player.pause();
    const t = dir > 0 ? s.nextEventTime(this.player.t) : s.prevEventTime(this.player.t);
    if (t !== null) void this.seek(t);
  }

  // ---- live mode ----------------------------------------------------------------------------

  private clickNode(node: string, ev: MouseEvent | KeyboardEvent): void {
    this.selected = node;
    this.client.select(node);
    const st = this.store?.stateAt(this.player.t);
    const n = st?.nodes[node];
    const peers = st ? Object.values(st.nodes).filter((x) => x.kind !== 'client').map((x) => ({ name: x.name, host: x.host })) : [];
    this.menu.forNode(node, n?.kind ?? 'node', n?.proc ?? 'running', ev, peers);
  }

  private runningSentinel(): string | null {
    const st = this.store?.stateAt(this.player.t);
    return (st && Object.values(st.nodes).find((n) => n.kind === 'sentinel' && n.proc === 'running')?.name) ?? null;
  }

  // ---- drawing ------------------------------------------------------------------------------

  private draw(): void {
    const store = this.store;
    if (!store) return;
    this.log.scrollToEnd();
    const t = this.player.t;
    const speed = this.player.speed;
    const playing = this.player.playing;
    const key = `${t}|${speed}|${playing}|${this.selected}|${store.records.length}`;
    if (key === this.lastDrawKey) return;
    this.lastDrawKey = key;
    if (this.session) this.live.noteShown(t);
    const st = store.stateAt(t);
    const dots = store.dotsAt(t, { minVisibleUs: DOT_MIN_WALL_MS * 1000 * speed, dropLingerUs: DROP_LINGER_WALL_MS * 1000 * speed, max: speed > 3 ? 160 : 400 });
    this.stage.render(st, dots, { selected: this.selected, paused: !playing });
    this.reasoning.render(store, st, t, speed);
    this.timeline.render(t);
    // text panels: at most every PANEL_MS while playing (nobody reads a log scrolling at 60 lines a second), and
    // then one panel a frame in turn (four panels' style, layout and paint in one frame would miss it)
    const now = performance.now();
    if (!playing && this.staggered === 0) {
      this.lastPanels = now;
      for (let i = 0; i < PANELS; i++) this.renderPanel(i, store, st, t);
    } else if (!playing) {
      // a store just shown: its panels' first draws one a frame (with the stage's first draw, four panels' style
      // and layout in one task would make a long one); the frames after it draw them all again until then
      this.staggered--;
      this.renderPanel(PANELS - 1 - this.staggered, store, st, t);
      this.lastDrawKey = `${key}|stale`;
    } else {
      if (now - this.lastPanels >= PANEL_MS || this.panelTurn !== 0) {
        if (this.panelTurn === 0) this.lastPanels = now;
        this.renderPanel(this.panelTurn, store, st, t);
        this.panelTurn = (this.panelTurn + 1) % PANELS;
      }
      this.lastDrawKey = `${key}|stale`;
    }
    this.badges(st, t);
    if (this.needFirstFrame) {
      this.needFirstFrame = false;
      this.firstFrameAt = performance.now();
      this.firstFrameRecords = store.records.length;
      document.body.dataset.frames = String(Number(document.body.dataset.frames ?? 0) + 1);
    }
  }

  /** The next text panel to redraw while playing (one a frame). */
  private panelTurn = 0;
  /** Panels still to draw one a frame after a store is shown (see draw). */
  private staggered = 0;

  private renderPanel(i: number, store: FrameStore, st: ClusterState, t: number): void {
    if (i === 0) this.log.render(t);
    else if (i === 1) this.inspector.render(st, this.selected);
    else if (i === 2) this.epochs.render(t, this.timeline.domain);
    else this.reasoning.renderPanel(store, st, t);
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
    set(ui.timeLabel, `${formatClock(t)} / ${formatClock(this.endT)}`);
    let maxEpoch: number | null = null;
    const masters: string[] = [];
    for (const n of Object.values(st.nodes)) {
      if (n.kind === 'sentinel' && n.currentEpoch !== null) maxEpoch = Math.max(maxEpoch ?? n.currentEpoch, n.currentEpoch);
      if (n.kind === 'server' && n.role === 'master' && n.proc === 'running') masters.push(n.name);
    }
    set(ui.epochBadge, maxEpoch === null ? 'epoch ?' : `epoch ${maxEpoch}`);
    ui.epochBadge.dataset.epoch = maxEpoch === null ? '' : String(maxEpoch);
    set(ui.masterBadge, `master ${masters.join(', ') || 'none'}`);
    ui.masterBadge.dataset.masters = masters.join(',');
    set(ui.liveBadge, this.session ? (t >= this.live.head ? 'live' : 'live (acting forks here)') : 'trace file');
    ui.failoverBtn.disabled = !this.session;
  }

  private setStatus(text: string): void {
    this.ui.status.textContent = text;
  }

  /** Show a problem: the error box says it, the status stops saying "reading…", the page is not left waiting. */
  fail(message: string): void {
    this.ui.error.textContent = message;
    this.ui.error.hidden = false;
    this.setStatus(`failed: ${message.split('\n')[0]}`);
    document.body.dataset.load = 'error';
  }

  private loading(text: string): void {
    this.setStatus(text);
    document.body.dataset.load = 'loading';
  }
}

/** The timeline's lane of each application host: its name (its host's) and what it believed over time. */
function appLanes(store: FrameStore): AppLanes {
  const hostOf = new Map(store.header.topology.nodes.map((n) => [n.name, n.host]));
  return new Map([...store.appViews].map(([node, points]) => [node, { name: hostOf.get(node) ?? node, points }]));
}
