// The page's frame: the header (scenario, seed, run, tour, open trace, progress, cancel, status), the player's
// controls and badges, and the boxes the stage, the timeline and the panels are drawn into. Built once; the
// App wires what the controls do.
import { buildLegend } from '../stage/legend.ts';
import { button, el } from './dom.ts';
import { catalogScenarios } from './catalog.ts';

export interface ShellActions {
  run(scenario: string, seed: string | undefined): void;
  tour(): void;
  cancel(): void;
  toggle(): void;
  step(dir: 1 | -1): void;
  sentinelFailover(): void;
}

export interface Shell {
  scenarioSel: HTMLSelectElement;
  seed: HTMLInputElement;
  fileInput: HTMLInputElement;
  status: HTMLSpanElement;
  progress: HTMLProgressElement;
  cancel: HTMLButtonElement;
  error: HTMLDivElement;
  playBtn: HTMLButtonElement;
  speed: HTMLInputElement;
  speedOut: HTMLOutputElement;
  timeLabel: HTMLOutputElement;
  epochBadge: HTMLSpanElement;
  masterBadge: HTMLSpanElement;
  liveBadge: HTMLSpanElement;
  failoverBtn: HTMLButtonElement;
  exportDialog: HTMLDialogElement;
  /** Put the panels and the log in the page now (they come a frame after the rest by themselves). */
  attachPanels(): void;
  boxes: {
    stage: HTMLElement;
    timeline: HTMLElement;
    inspector: HTMLElement;
    reasoning: HTMLElement;
    epochs: HTMLElement;
    client: HTMLElement;
    branches: HTMLElement;
    log: HTMLElement;
  };
}

export function buildShell(root: HTMLElement, act: ShellActions): Shell {
  const scenarioSel = el('select', { id: 'scenario', ariaLabel: 'scenario from the library' });
  for (const s of catalogScenarios()) scenarioSel.add(new Option(s.name, s.name));
  const seed = el('input', { id: 'seed', type: 'text', value: '', placeholder: 'seed', size: 6, ariaLabel: 'seed' });
  const fileInput = el('input', { id: 'trace-file', type: 'file', accept: '.json,application/json', hidden: true });
  const status = el('span', { id: 'status', role: 'status' });
  const progress = el('progress', { id: 'progress', hidden: true, max: 1, ariaLabel: 'the engine is running' });
  const cancel = button('cancel', () => act.cancel(), { id: 'cancel', title: 'stop the run (the engine runs in a worker: the page stays responsive)' });
  cancel.hidden = true;
  const error = el('div', { id: 'error', role: 'alert', hidden: true });
  const playBtn = button('▶', () => act.toggle(), { id: 'play', title: 'play / pause (space)', ariaLabel: 'play or pause' });
  const speed = el('input', { id: 'speed', type: 'range', min: '-2', max: '2', step: '0.01', value: '0', ariaLabel: 'speed' });
  const speedOut = el('output', { id: 'speed-label', textContent: '1×' });
  const timeLabel = el('output', { id: 'time-label', textContent: '00:00:00.000' });
  const epochBadge = el('span', { id: 'epoch-badge', className: 'badge' });
  const masterBadge = el('span', { id: 'master-badge', className: 'badge' });
  const liveBadge = el('span', { id: 'live-badge', className: 'badge live' });
  const failoverBtn = button('SENTINEL FAILOVER', () => act.sentinelFailover(), { id: 'failover', title: 'SENTINEL FAILOVER <master> on the first running Sentinel' });

  const header = el(
    'header',
    {},
    el('h1', { textContent: 'sentinel-sim' }),
    el('label', {}, 'scenario ', scenarioSel),
    el('label', {}, 'seed ', seed),
    button('run', () => act.run(scenarioSel.value, seed.value.trim() || undefined), { id: 'run' }),
    button('guided tour', () => act.tour(), { id: 'tour-start', title: 'the tutorial failover, step by step: what Sentinel decides and why' }),
    button('open trace…', () => fileInput.click(), { id: 'open', title: 'a file written by sentinel-sim run --trace (or drop it on the page)' }),
    fileInput,
    progress,
    cancel,
    status,
  );
  const controls = el(
    'div',
    { className: 'controls' },
    button('◀ prev', () => act.step(-1), { title: 'previous event (←)', id: 'step-back' }),
    playBtn,
    button('next ▶', () => act.step(1), { title: 'next event (→)', id: 'step-forward' }),
    el('label', { className: 'speed' }, 'speed ', speed, speedOut),
    timeLabel,
    epochBadge,
    masterBadge,
    liveBadge,
    failoverBtn,
  );
  const boxes = {
    stage: el('section', { className: 'stage-box', ariaLabel: 'cluster' }),
    timeline: el('section', { className: 'timeline-box', ariaLabel: 'timeline' }),
    inspector: el('section', { className: 'panel inspector' }, el('h2', { textContent: 'Inspector' })),
    reasoning: el('section', { className: 'panel reasoning-box', ariaLabel: "Sentinel's reasoning" }, el('h2', { textContent: "Sentinel's reasoning" })),
    epochs: el('section', { className: 'panel epochs-box' }, el('h2', { textContent: 'Current epoch per Sentinel' })),
    client: el('section', { className: 'panel client' }, el('h2', { textContent: 'Client (live)' })),
    branches: el('section', { className: 'panel branches', ariaLabel: 'branches' }, el('h2', { textContent: 'Branches' })),
    log: el('section', { className: 'panel log' }, el('h2', { textContent: 'Event log' })),
  };
  const exportDialog = el('dialog', { id: 'export-dialog', ariaLabel: 'export the branch' });
  const legendBox = el('details', { className: 'panel legend-box' }, el('summary', { textContent: 'Legend and keys' }));
  legendBox.append(el('p', { className: 'hint', textContent: 'space: play/pause · ←/→: previous/next event · shift+←/→: ∓1 s · Home/End: start/end · +/−: speed · Enter on a node or a link: its actions (live) · Escape: close' }));
  buildLegend(legendBox);
  const left = el('div', { className: 'col-left' }, controls, boxes.stage, boxes.timeline);
  const right = el('div', { className: 'col-right' }, boxes.inspector, boxes.reasoning, boxes.branches, boxes.client, boxes.epochs, legendBox);
  const main = el('main', { className: 'layout' }, left);
  root.append(header, error, main, exportDialog);
  // the panels and the log join the page in a later task: the page's first style and layout is then two
  // shorter tasks, not one (the grid keeps their places: the stage's width does not change when they come)
  let attached = false;
  const attachPanels = () => {
    if (attached) return;
    attached = true;
    main.append(right, boxes.log);
  };
  requestAnimationFrame(() => setTimeout(attachPanels, 0));
  return { scenarioSel, seed, fileInput, status, progress, cancel, error, playBtn, speed, speedOut, timeLabel, epochBadge, masterBadge, liveBadge, failoverBtn, exportDialog, boxes, attachPanels };
}
