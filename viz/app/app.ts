// The page: inputs (scenario library, trace files, URL query), the stage, the timeline, the panels and
// live mode, wired around one FrameStore and one Player.
import { formatClock } from '../../engine/sim/time.ts';
import { FrameStore } from '../model/store.ts';
import { TraceFileError, TraceLineStream, TraceTextReader } from '../model/traceFile.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';
import type { ClusterState } from '../model/types.ts';
import { EpochsChart } from '../stage/epochsChart.ts';
import { Inspector } from '../stage/inspector.ts';
import { buildLegend } from '../stage/legend.ts';
import { LogPanel } from '../stage/logPanel.ts';
import { Stage } from '../stage/stage.ts';
import { Timeline } from '../stage/timeline.ts';
import { ReasoningView } from '../stage/reasoningView.ts';
import { Tour } from './tour.ts';
import { ActionMenu, ClientPanel, clientEntry, type ClientEntry } from './actions.ts';
import { BranchPanel, BranchTree, branchName, type Branch } from './branches.ts';
import { button, el } from './dom.ts';
import { describeAction, forkScenario, planQuery, scenarioFileText, setupConfigs, type Action, type ActionResult, type BranchPlan } from './fork.ts';
import { findScenario, libraryScenarios, readBundledFile } from './library.ts';
import { Player, sliderFromSpeed, speedFromSlider, speedLabel } from './player.ts';
import { CancelledError, RemoteSession, type Progress } from './remote.ts';
import { runScenario } from '../../scenarios/api/index.ts';

/** Wall-clock ms a message dot stays on screen at least, and a dropped one's cross after it. */
const DOT_MIN_WALL_MS = 300;
const DROP_LINGER_WALL_MS = 600;
/** Records parsed before the first frame of a trace file, and per background step after it. */
const FIRST_CHUNK = 5000;
const CHUNK = 40000;
/** Branch sessions kept in memory (switching to one of them is instant; the others are rebuilt from their plan). */
const KEEP_SESSIONS = 4;
/** Files at least this big are read as a stream (the first frame before the whole file is read). */
const STREAM_MIN_BYTES = 1 << 20;
/** Wall ms between redraws of the timeline, epochs and log while a streamed file grows. */
const STREAM_UI_MS = 300;

export class App {
  store: FrameStore | null = null;
  session: RemoteSession | null = null;
  /** The run in progress in a worker (a scenario, a fork, a branch rebuilt): the progress bar's and cancel's. */
  private running: RemoteSession | null = null;
  /** Actions wait for the one before them. */
  private acting: Promise<unknown> = Promise.resolve();
  private keyspaceAsked = '';
  private keyspaceCache: { node: string; at: number; dbs: { db: number; keys: string[] }[] } | null = null;
  sourceName = '';
  selected: string | null = null;
  readonly player: Player;
  private readonly stage: Stage;
  private readonly timeline: Timeline;
  private readonly log: LogPanel;
  private readonly inspector: Inspector;
  private readonly reasoning: ReasoningView;
  readonly tour: Tour;
  private readonly epochs: EpochsChart;
  private readonly menu: ActionMenu;
  private readonly client: ClientPanel;
  private readonly branchPanel: BranchPanel;
  readonly branches = new BranchTree();
  private readonly sessions = new Map<number, { session: RemoteSession; store: FrameStore }>();
  private readonly ui;
  private lastDrawKey = '';
  private loads = 0;
  /** performance.now() of the first frame drawn after the last load (the first-frame benchmark reads it). */
  firstFrameAt = 0;
  /** Records the store held when that frame was drawn (a streamed file: fewer than the file has). */
  firstFrameRecords = 0;
  private needFirstFrame = false;

  constructor(root: HTMLElement) {
    const scenarioSel = el('select', { id: 'scenario', ariaLabel: 'scenario from the library' });
    for (const s of libraryScenarios()) scenarioSel.add(new Option(s.name, s.name));
    const seed = el('input', { id: 'seed', type: 'text', value: '', placeholder: 'seed', size: 6, ariaLabel: 'seed' });
    const fileInput = el('input', { id: 'trace-file', type: 'file', accept: '.json,application/json', hidden: true });
    const status = el('span', { id: 'status', role: 'status' });
    const progress = el('progress', { id: 'progress', hidden: true, max: 1, ariaLabel: 'the engine is running' });
    const cancel = button('cancel', () => this.cancelRun(), { id: 'cancel', title: 'stop the run (the engine runs in a worker: the page stays responsive)' });
    cancel.hidden = true;
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
      button('guided tour', () => void this.tour.start(), { id: 'tour-start', title: 'the tutorial failover, step by step: what Sentinel decides and why' }),
      button('open trace…', () => fileInput.click(), { id: 'open', title: 'a file written by sentinel-sim run --trace (or drop it on the page)' }),
      fileInput,
      progress,
      cancel,
      status,
    );
    const controls = el(
      'div',
      { className: 'controls' },
      button('◀ prev', () => this.step(-1), { title: 'previous event (←)', id: 'step-back' }),
      playBtn,
      button('next ▶', () => this.step(1), { title: 'next event (→)', id: 'step-forward' }),
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
    const branchBox = el('section', { className: 'panel branches', ariaLabel: 'branches' }, el('h2', { textContent: 'Branches' }));
    const exportDialog = el('dialog', { id: 'export-dialog', ariaLabel: 'export the branch' });
    const logBox = el('section', { className: 'panel log' }, el('h2', { textContent: 'Event log' }));
    const legendBox = el('details', { className: 'panel legend-box' }, el('summary', { textContent: 'Legend and keys' }));
    legendBox.append(el('p', { className: 'hint', textContent: 'space: play/pause · ←/→: previous/next event · shift+←/→: ∓1 s · +/−: speed · click a node or a link to act (live)' }));
    buildLegend(legendBox);
    const left = el('div', { className: 'col-left' }, controls, stageBox, timelineBox);
    const reasoningBox = el('section', { className: 'panel reasoning-box', ariaLabel: "Sentinel's reasoning" }, el('h2', { textContent: "Sentinel's reasoning" }));
    const right = el('div', { className: 'col-right' }, inspectorBox, reasoningBox, branchBox, clientBox, epochsBox, legendBox);
    root.append(header, error, el('main', { className: 'layout' }, left, right, logBox), exportDialog);
    this.ui = { scenarioSel, seed, fileInput, status, progress, cancel, error, playBtn, speed, speedOut, timeLabel, epochBadge, masterBadge, liveBadge, failoverBtn, exportDialog };

    this.stage = new Stage(stageBox, {
      onNode: (n, ev) => this.clickNode(n, ev),
      onLink: (a, b, ev) => this.menu.forLink(a, b, ev),
    });
    this.timeline = new Timeline(timelineBox, (t) => this.seek(t));
    this.log = new LogPanel(logBox, (t) => this.seek(t));
    this.inspector = new Inspector(inspectorBox, (node) => this.liveKeyspace(node));
    this.reasoning = new ReasoningView(this.stage.svg, reasoningBox);
    this.inspector.extraLines = (node) => (this.store ? this.reasoning.timerLines(this.store, this.store.stateAt(this.player.t), node, this.player.t) : []);
    const app = this;
    this.tour = new Tour(root, {
      get store() { return app.store; },
      get session() { return app.session; },
      loadScenario: (name) => this.loadScenario(name),
      seek: (t) => this.seek(t),
      pause: () => this.player.pause(),
      index: (store) => this.reasoning.index(store),
    });
    this.epochs = new EpochsChart(epochsBox);
    this.menu = new ActionMenu((a) => this.act(a), () => (this.session ? null : 'This run was loaded from a trace file: pick a scenario and press run to act on a live cluster.'));
    this.client = new ClientPanel(clientBox, (node, argv, db) => this.command(node, argv, db));
    this.branchPanel = new BranchPanel(branchBox, {
      switchTo: (id) => this.switchBranch(id),
      seek: (t) => this.seek(t),
      exportFile: () => this.showExport(),
      copyLink: () => void this.copyLink(),
    });
    this.player = new Player((t) => this.limit(t), () => this.draw(), () => this.session !== null && !this.session.isCancelled);

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
    document.addEventListener('keydown', (e) => this.key(e));
  }

  // ---- inputs -------------------------------------------------------------------------------

  /**
   * Run a library scenario in the page (live: the engine keeps running when played past the end). With a
   * plan (a shared branch link), run that branch instead, and up to `end` when given.
   */
  loadScenario(name: string, seed?: string, branch?: { plan: BranchPlan; end: number | null; t?: number | null }, opts: { t?: number | null } = {}): boolean {
    const sc = findScenario(name);
    if (!sc) {
      this.fail(`unknown scenario '${name}' (the library has: ${libraryScenarios().map((s) => s.name).join(', ')})`);
      return false;
    }
    const s = seed ?? String(sc.seed ?? 1);
    this.ui.scenarioSel.value = name;
    this.ui.seed.value = s;
    const plan: BranchPlan = branch ? { ...branch.plan, scenario: name, seed: branch.plan.seed || s } : { scenario: name, seed: s, cut: null, actions: [] };
    const t0 = performance.now();
    const load = ++this.loads;
    const session = new RemoteSession(plan, branch?.end ?? null);
    const keepT = branch?.t ?? opts.t ?? undefined;
    // the first records are drawn as they come (the engine runs in a worker)
    session.onData = () => {
      if (load !== this.loads || !session.header) return;
      if (this.session !== session) {
        this.session = session;
        this.setStore(new FrameStore(session.header, session.records, (i) => session.msgEnds.get(i), (i) => session.patches.get(i)), `${name} (seed ${s}) · running…`, keepT, true);
      } else this.grown();
    };
    this.sessions.clear();
    this.loading(`running ${name} seed ${s}…`);
    this.runInWorker(session, `${name} seed ${s}`)
      .then(() => {
        if (load !== this.loads) return;
        const root = this.branches.reset(session.plan, session.now);
        this.sessions.clear();
        this.useSession(session, root, keepT ?? (this.store && this.session === session ? this.player.t : undefined));
        document.body.dataset.load = 'done';
        document.body.dataset.ready = 'true';
        this.setStatus(`ran ${name} seed ${s}${plan.actions.length || plan.cut !== null ? ` (a branch: ${plan.actions.length} actions)` : ''} in ${Math.round(performance.now() - t0)} ms${session.scriptError ? ` — the script failed: ${session.scriptError}` : ''}`);
      })
      .catch((e: Error) => {
        if (load !== this.loads) return;
        if (e instanceof CancelledError) this.setStatus(`${name}: cancelled (${session.records.length} records, up to ${formatClock(session.now)})`);
        else this.fail(`scenario ${name} could not start: ${e.message}`);
        document.body.dataset.ready = 'true';
        if (document.body.dataset.load === 'loading') document.body.dataset.load = 'done';
      });
    return true;
  }

  /** Run a session's start in its worker with the progress bar and the cancel button shown. */
  private async runInWorker(session: RemoteSession, what: string): Promise<void> {
    this.running?.cancel();
    this.running = session;
    const { progress, cancel } = this.ui;
    progress.hidden = false;
    cancel.hidden = false;
    progress.removeAttribute('value');
    document.body.dataset.busy = 'true';
    session.onProgress = (p: Progress) => {
      if (this.running !== session) return;
      if (p.end) progress.value = Math.min(1, p.t / p.end);
      this.setStatus(`running ${what}: ${formatClock(p.t)} of virtual time, ${p.records} records…`);
    };
    try {
      await session.start();
    } finally {
      if (this.running === session) {
        this.running = null;
        progress.hidden = true;
        cancel.hidden = true;
        delete document.body.dataset.busy;
      }
    }
  }

  /** Stop the run in progress (its worker ends; what it recorded so far stays on screen). */
  cancelRun(): void {
    this.running?.cancel();
  }

  /** Records appended to the current store (live mode): index them, grow the timeline, redraw. */
  private grown(): void {
    const store = this.store;
    const session = this.session;
    if (!store || !session) return;
    store.ingest();
    this.timeline.setData(Math.max(store.endT, session.now), store.markers, true);
    this.epochs.setData(store.epochs, Math.max(store.endT, session.now));
    this.lastDrawKey = '';
  }

  /** Show a branch's session: its store, its client history, the branch list, the URL. */
  private useSession(session: RemoteSession, branch: Branch, keepT?: number): void {
    this.loads++;
    this.session = session;
    session.onData = () => {
      if (this.session === session) this.grown();
    };
    let cached = this.sessions.get(branch.id);
    if (!cached || cached.session !== session) {
      cached = { session, store: new FrameStore(session.header!, session.records, (i) => session.msgEnds.get(i), (i) => session.patches.get(i)) };
      this.sessions.delete(branch.id);
      this.sessions.set(branch.id, cached);
      for (const [id, c] of this.sessions)
        if (this.sessions.size > KEEP_SESSIONS && id !== branch.id) {
          this.sessions.delete(id);
          c.session.cancel();
        }
    } else {
      // most recently used last
      this.sessions.delete(branch.id);
      this.sessions.set(branch.id, cached);
      cached.store.ingest();
    }
    const p = session.plan;
    this.setStore(cached.store, `${p.scenario} (seed ${p.seed}) · ${branchName(branch)}`, keepT);
    this.client.setHistory(this.clientHistory(session));
    this.branchPanel.render(this.branches);
    this.updateUrl();
  }

  private clientHistory(session: RemoteSession): ClientEntry[] {
    return session.results.flatMap((r) => clientEntry(r, session.run.masterName) ?? []);
  }

  async openFile(f: File): Promise<void> {
    const load = ++this.loads;
    this.loading(`reading ${f.name}…`);
    if (f.size >= STREAM_MIN_BYTES && typeof f.stream === 'function') return this.openStream(f.stream(), f.name, load);
    let text: string;
    try {
      text = await f.text();
    } catch (e) {
      if (load === this.loads) this.fail(`cannot read ${f.name}: ${(e as Error).message}`);
      return;
    }
    if (load === this.loads) this.loadTraceText(text, f.name);
  }

  /** Open a trace by URL (`?trace=`): a missing file says so, whatever the server answers in its place. */
  async openUrl(url: string): Promise<void> {
    const load = ++this.loads;
    const name = url.split('/').pop() || url;
    this.loading(`loading ${url}…`);
    let text: string;
    try {
      const res = await fetch(url);
      if (load !== this.loads) return;
      const type = res.headers.get('content-type') ?? '';
      if (res.status === 404 || res.status === 410) throw new Error(`trace ${url} not found (HTTP ${res.status} from ${new URL(url, location.href).href})`);
      if (!res.ok) throw new Error(`cannot load trace ${url}: HTTP ${res.status} ${res.statusText}`.trim());
      text = await res.text();
      // a server that answers every path with the page itself (a dev server's fallback) has no such file
      if (/text\/html/i.test(type) || /^\s*<(!doctype|html)/i.test(text.slice(0, 200)))
        throw new Error(`trace ${url} not found: the server answered with a web page (${type || 'HTML'}), not a trace file`);
    } catch (e) {
      if (load !== this.loads) return;
      const msg = (e as Error).message;
      this.fail(e instanceof TypeError ? `cannot load trace ${url}: the server cannot be reached (${msg})` : msg);
      return;
    }
    if (load === this.loads) this.loadTraceText(text, name);
  }

  /**
   * Read a trace as it arrives: the first records are drawn as soon as they are read, the rest are indexed
   * chunk by chunk (each a short task: the page stays responsive). A file not in `run --trace`'s line layout
   * is read whole and opened as text.
   */
  private async openStream(stream: ReadableStream<Uint8Array>, name: string, load: number): Promise<void> {
    const reader = stream.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
    const ls = new TraceLineStream(name);
    const early: string[] = [];
    let store: FrameStore | null = null;
    let lastUi = 0;
    const ui = (force: boolean) => {
      if (!store || (!force && performance.now() - lastUi < STREAM_UI_MS)) return;
      lastUi = performance.now();
      this.timeline.setData(store.endT, store.markers, true);
      this.epochs.setData(store.epochs, store.endT);
      // the log panel reads the store's growing index by itself; its node list is refreshed at the end
      if (force) this.log.setStore(store);
      this.lastDrawKey = '';
      this.setStatus(`${name}: ${store.records.length} records, ${formatClock(store.endT)} so far…`);
    };
    // a local file's chunks resolve one after another without returning to the event loop: give the page
    // a turn (frames, input) every few ms of reading, and a frame right after the first records
    let slice = performance.now();
    const breathe = async (frame: boolean) => {
      if (!frame && performance.now() - slice < 25) return;
      await new Promise<void>((r) => (frame ? requestAnimationFrame(() => setTimeout(r, 0)) : setTimeout(r, 0)));
      slice = performance.now();
    };
    const add = (recs: TraceRecord[]) => {
      if (!ls.header || recs.length === 0) return;
      if (!store) {
        this.session = null;
        store = new FrameStore(ls.header, recs);
        this.setStore(store, `${name} (${ls.header.scenario}, seed ${ls.header.seed})`);
        this.loading(`${name}: reading…`);
        lastUi = performance.now();
        return;
      }
      for (const r of recs) store.records.push(r);
      store.ingest();
      ui(false);
    };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (load !== this.loads) {
          void reader.cancel();
          return;
        }
        if (done) break;
        if (!ls.header && !ls.fallback) early.push(value);
        else if (ls.fallback) early.push(value);
        // in pieces of 128 KB (a stream's chunks may be megabytes): each piece is a short task
        for (let at = 0; at < value.length && !ls.error; at += 1 << 17) {
          const hadStore = store !== null;
          add(ls.push(value.slice(at, at + (1 << 17))));
          await breathe(!hadStore && store !== null);
          if (load !== this.loads) return;
        }
        if (ls.header) early.length = 0;
        if (ls.error) break;
      }
    } catch (e) {
      if (load === this.loads) this.fail(`cannot read ${name}: ${(e as Error).message}`);
      return;
    }
    if (ls.fallback || (!ls.header && !ls.error)) {
      this.loadTraceText(early.join(''), name);
      return;
    }
    if (!ls.error) add(ls.end());
    ui(true);
    if (ls.error && !store) {
      this.fail(ls.error.message);
      return;
    }
    const bad = ls.verify();
    if (bad) {
      const st = store as FrameStore | null;
      this.fail(ls.error && st ? `${bad}\nShowing the ${st.records.length} records before it (up to ${formatClock(st.endT)}).` : bad);
      return;
    }
    this.setStatus(`${name}: ${store!.records.length} records, ${formatClock(store!.endT)}, sha256 ${ls.sha256!.slice(0, 12)}… verified`);
    document.body.dataset.load = 'done';
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
    if (first.length === 0 && reader.error) {
      this.fail(reader.error.message);
      return false;
    }
    this.session = null;
    const store = new FrameStore(reader.header, first);
    const label = `${name} (${reader.header.scenario}, seed ${reader.header.seed})`;
    this.setStore(store, label);
    const load = ++this.loads;
    this.loading(`${name}: reading…`);
    const stopped = (err: TraceFileError) => {
      this.fail(`${err.message}\nShowing the ${store.records.length} records before it (up to ${formatClock(store.endT)}).`);
      this.setStatus(`${name}: stopped at ${err.line !== null ? `line ${err.line}` : `record ${err.record ?? store.records.length}`}`);
    };
    const more = () => {
      if (load !== this.loads) return; // another source was opened meanwhile
      let chunk: TraceRecord[];
      try {
        chunk = reader.next(CHUNK);
      } catch (e) {
        this.fail(e instanceof TraceFileError ? e.message : `${name}: ${(e as Error).message}`);
        return;
      }
      if (chunk.length > 0) {
        for (const r of chunk) store.records.push(r);
        store.ingest();
        this.timeline.setData(store.endT, store.markers, true);
        this.epochs.setData(store.epochs, store.endT);
        this.log.setStore(store);
        this.lastDrawKey = '';
      }
      if (reader.error) {
        stopped(reader.error);
        return;
      }
      if (chunk.length > 0) {
        this.setStatus(`${name}: ${store.records.length} records, ${formatClock(store.endT)} so far…`);
        setTimeout(more, 0);
        return;
      }
      const bad = reader.verify(store.records);
      if (bad) this.fail(bad);
      else {
        this.setStatus(`${name}: ${store.records.length} records, ${formatClock(store.endT)}, sha256 ${reader.sha256!.slice(0, 12)}… verified`);
        document.body.dataset.load = 'done';
      }
    };
    if (reader.error) stopped(reader.error);
    else setTimeout(more, 0);
    return true;
  }

  private setStore(store: FrameStore, label: string, keepT?: number, streaming = false): void {
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
    // a live run still in its worker is ready once it has run (loadScenario); a trace file at its first frame
    if (!streaming) document.body.dataset.ready = 'true';
    document.body.dataset.source = this.session ? 'live' : 'file';
    if (!this.session) {
      this.branchPanel.clear();
      this.client.setHistory([]);
      this.sessions.clear();
    }
  }

  // ---- time ---------------------------------------------------------------------------------

  private limit(t: number): number {
    const store = this.store;
    if (!store) return 0;
    const session = this.session;
    if (session && session.ready && !session.isCancelled) {
      // live: the engine (in its worker) runs ahead of the playhead by about a second of wall time
      const ahead = Math.max(200_000, this.player.speed * 1_000_000);
      if (t + ahead > session.now && session.busy === 0) void session.advance(t + 2 * ahead).catch(() => undefined);
      return Math.min(t, Math.max(store.endT, session.now));
    }
    return Math.min(t, Math.max(store.endT, session?.now ?? 0));
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

  /**
   * Keys of the player. A key a focused control uses itself is left to it, so nothing acts twice: the speed
   * slider's arrows, Home/End, PageUp/PageDown; Space and Enter on a button; anything typed in a field, a
   * select, the action menu or a dialog. Home/End never scroll the page.
   */
  private key(e: KeyboardEvent): void {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target as HTMLElement;
    const tag = target.tagName;
    const slider = tag === 'INPUT' && (target as HTMLInputElement).type === 'range';
    if ((tag === 'INPUT' && !slider) || tag === 'SELECT' || tag === 'TEXTAREA' || target.isContentEditable) return;
    // the slider's own keys move the slider, and only it
    if (slider && /^(Arrow(Left|Right|Up|Down)|Home|End|PageUp|PageDown)$/.test(e.key)) return;
    if (target.closest('dialog, .action-menu')) return;
    const onButton = tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' || target.getAttribute('role') === 'button';
    if (e.key === ' ' || e.key === 'k') {
      if (onButton && e.key === ' ') return;
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
    } else if (e.key === 'Home') {
      e.preventDefault();
      this.seek(0);
    } else if (e.key === 'End' && this.store) {
      e.preventDefault();
      this.seek(this.store.endT);
    }
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

  /**
   * Act on the cluster at the playhead's instant. At the head of the current branch (or right after its last
   * step, while a command's reply was coming) the action extends the branch; anywhere earlier it forks a new
   * branch there, which keeps every action of the current one up to that instant. The playhead then shows
   * where the engine is (a command: when its reply came).
   */
  act(a: Action): Promise<ActionResult | null> {
    const next = this.acting.then(() => this.actNow(a));
    this.acting = next.catch(() => undefined);
    return next;
  }

  private async actNow(a: Action): Promise<ActionResult | null> {
    const session = this.session;
    if (!session) {
      this.fail('This run was loaded from a trace file: pick a scenario and press run to act on a live cluster.');
      return null;
    }
    if (!session.ready) {
      this.setStatus('the scenario is still running: wait for it (or cancel it) before acting');
      return null;
    }
    const t = Math.round(this.player.t);
    let result: ActionResult;
    let forked: Branch | null = null;
    document.body.dataset.busy = 'true';
    try {
      if (session.canAppendAt(t)) {
        result = await session.act(t, a);
        if (this.session !== session) return result;
        this.grown();
        this.branches.active.head = session.now;
        const entry = clientEntry(result, session.run.masterName);
        if (entry) this.client.add(entry);
        this.player.seek(session.now);
        this.branchPanel.render(this.branches);
        this.updateUrl();
      } else {
        const plan = session.forkPlan(t, a);
        const s = new RemoteSession(plan);
        try {
          await this.runInWorker(s, `a fork at ${formatClock(t)}`);
        } catch (e) {
          if (!(e instanceof CancelledError)) this.fail(`fork failed: ${(e as Error).message}`);
          else this.setStatus('fork cancelled');
          return null;
        }
        this.branches.active.head = session.now;
        forked = this.branches.add(this.branches.current, s.plan, t, s.now);
        result = s.results[s.results.length - 1];
        this.useSession(s, forked, s.now);
      }
    } catch (e) {
      if (!(e instanceof CancelledError)) this.fail(`${describeAction(a)} failed: ${(e as Error).message}`);
      return null;
    } finally {
      if (!this.running) delete document.body.dataset.busy;
    }
    this.lastDrawKey = '';
    const what = a.op === 'exec' || a.op === 'sentinel-failover' ? `${describeAction(a)} → ${(clientEntry(result, session.run.masterName)?.text ?? '').split('\n')[0]}` : `${describeAction(a)}${result.error ? ` failed: ${result.error}` : ''}`;
    this.setStatus(`${forked ? `forked ${branchName(forked)} at ${formatClock(t)}: ` : ''}${what} at ${formatClock(result.at)}`);
    return result;
  }

  /** A command from the client panel (the reply is shown there). */
  private async command(node: string, argv: string[], db: number): Promise<ClientEntry | null> {
    const r = await this.act({ op: 'exec', node, argv, ...(db ? { db } : {}) });
    return r && this.session ? clientEntry(r, this.session.run.masterName) : null;
  }

  /** Show another branch: its engine rebuilt from its plan in a worker (or kept from a recent visit), up to where it had run. */
  async switchBranch(id: number): Promise<void> {
    const b = this.branches.get(id);
    if (!b || !this.session) return;
    this.branches.active.head = Math.max(this.branches.active.head, this.session.now);
    let s = this.sessions.get(id)?.session;
    if (!s || s.isCancelled) {
      s = new RemoteSession(b.plan, b.head);
      try {
        await this.runInWorker(s, `branch ${branchName(b)}`);
      } catch (e) {
        if (e instanceof CancelledError) this.setStatus(`switching to ${branchName(b)} cancelled`);
        else this.fail(`cannot rebuild ${branchName(b)}: ${(e as Error).message}`);
        return;
      }
    }
    this.branches.current = id;
    const keep = Math.min(this.player.t, s.now);
    this.useSession(s, b, keep);
    this.lastDrawKey = '';
    this.setStatus(`switched to ${branchName(b)}`);
  }

  /** The current branch and how far it has run: what its file and its link reproduce. */
  branchState(): { plan: BranchPlan; end: number } | null {
    if (!this.session) return null;
    return { plan: this.session.plan, end: Math.max(this.session.now, this.store?.endT ?? 0) };
  }

  branchUrl(): string {
    const st = this.branchState();
    const url = new URL(location.href);
    url.search = st ? planQuery(st.plan, st.end, this.player.t).toString() : url.search;
    return url.href;
  }

  private updateUrl(): void {
    const st = this.branchState();
    if (!st) return;
    const url = new URL(location.href);
    url.search = planQuery(st.plan, st.plan.actions.length || st.plan.cut !== null ? st.end : undefined).toString();
    history.replaceState(null, '', url);
  }

  private async copyLink(): Promise<void> {
    const href = this.branchUrl();
    try {
      await navigator.clipboard.writeText(href);
      this.setStatus(`link copied: ${href}`);
    } catch {
      this.setStatus(`link: ${href}`);
    }
  }

  /**
   * The current branch as a scenario file (imports from `from`: the package name, or a clone's folder), and
   * the sha256 of the trace `sentinel-sim run` gives for it — the same run done here.
   */
  exportBranch(from = 'sentinel-sim'): { text: string; sha256: string; url: string; name: string } | null {
    const st = this.branchState();
    const base = st && findScenario(st.plan.scenario);
    if (!st || !base) return null;
    const res = runScenario(forkScenario(base, st.plan, st.end), { readFile: readBundledFile });
    const url = this.branchUrl();
    const text = scenarioFileText(st.plan, st.end, { from, sha256: res.sha256, url, configs: setupConfigs(base, st.plan.seed, readBundledFile) });
    return { text, sha256: res.sha256, url, name: `${st.plan.scenario}-${branchName(this.branches.active)}.ts` };
  }

  private showExport(): void {
    const dlg = this.ui.exportDialog;
    const from = el('input', { id: 'export-from', type: 'text', value: 'sentinel-sim', size: 28, ariaLabel: 'import sentinel-sim from (the package name, or the folder of a clone)' });
    const text = el('textarea', { id: 'export-text', readOnly: true, rows: 14, cols: 80, ariaLabel: 'the scenario file' });
    const hash = el('p', { id: 'export-hash', className: 'hint' });
    const save = el('a', { id: 'export-save', className: 'button', textContent: 'save file' });
    const fill = () => {
      const x = this.exportBranch(from.value.trim() || 'sentinel-sim');
      if (!x) return;
      text.value = x.text;
      hash.textContent = `sentinel-sim run ${x.name} → trace sha256 ${x.sha256}`;
      hash.dataset.sha256 = x.sha256;
      if (save.href) URL.revokeObjectURL(save.href);
      save.href = URL.createObjectURL(new Blob([x.text], { type: 'text/typescript' }));
      save.download = x.name;
    };
    from.addEventListener('change', fill);
    dlg.replaceChildren(
      el('h2', { textContent: `Export ${branchName(this.branches.active)} as a scenario file` }),
      el('label', {}, 'import sentinel-sim from ', from),
      el('p', { className: 'hint', textContent: "'sentinel-sim' (the package), or the folder of a clone of the repository (e.g. /home/me/sentinel-sim)" }),
      text,
      hash,
      el('div', { className: 'branch-buttons' }, save, button('close', () => dlg.close(), { id: 'export-close' })),
    );
    fill();
    dlg.showModal();
    from.focus();
  }

  private sentinelFailover(): void {
    const st = this.store?.stateAt(this.player.t);
    const s = st && Object.values(st.nodes).find((n) => n.kind === 'sentinel' && n.proc === 'running');
    if (!s) {
      this.fail('no running Sentinel');
      return;
    }
    const r = this.act({ op: 'sentinel-failover', node: s.name });
    void r;
  }

  /** The keyspace of a server at the head (read in the worker, then drawn on the next frame). */
  private liveKeyspace(node: string): { dbs: { db: number; keys: string[] }[]; at: number } | null {
    const s = this.session;
    if (!s || !s.ready || Math.abs(this.player.t - s.now) > 1) return null;
    const c = this.keyspaceCache;
    if (c && c.node === node && c.at === s.now) return { dbs: c.dbs, at: c.at };
    const ask = `${node}@${s.now}`;
    if (this.keyspaceAsked !== ask && s.busy === 0) {
      this.keyspaceAsked = ask;
      const at = s.now;
      void s.keyspaceAsync(node).then(
        (dbs) => {
          if (dbs && this.session === s) {
            this.keyspaceCache = { node, at, dbs };
            this.lastDrawKey = '';
          }
        },
        () => undefined,
      );
    }
    return null;
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
    this.reasoning.render(store, st, t, speed);
    this.timeline.render(t);
    this.log.render(t);
    this.inspector.render(st, this.selected);
    this.epochs.render(t, this.timeline.domain);
    this.badges(st, t);
    if (this.needFirstFrame) {
      this.needFirstFrame = false;
      this.firstFrameAt = performance.now();
      this.firstFrameRecords = store.records.length;
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
