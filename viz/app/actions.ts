// Live-mode controls (spec viz.md §3): a menu on a node (crash, restart, pause/resume, isolate, clock jump,
// SENTINEL FAILOVER), on a link (cut, heal, lossy), and the client panel (send a command, see the reply).
import { formatClock } from '../../engine/sim/time.ts';
import type { Action, ActionResult } from './fork.ts';
import { button, el } from './dom.ts';
import { formatReply, prompt, repr, splitArgs, utf8Bytes } from './redisCli.ts';

/**
 * The menu of a node or a link: opens next to it (always inside the window), takes the focus (its first
 * item), ↑/↓/Home/End move between items, Tab stays inside, Escape or a click elsewhere closes it and gives
 * the focus back to what opened it.
 */
export class ActionMenu {
  private readonly box: HTMLDivElement;
  private opener: Element | null = null;

  constructor(
    private readonly act: (a: Action) => unknown,
    private readonly enabled: () => string | null,
  ) {
    this.box = el('div', { className: 'action-menu', hidden: true, role: 'dialog', id: 'action-menu' });
    document.body.append(this.box);
    this.box.addEventListener('keydown', (e) => this.key(e));
    document.addEventListener(
      'keydown',
      (e) => {
        if (e.key === 'Escape' && !this.box.hidden) {
          e.preventDefault();
          e.stopPropagation();
          this.hide(true);
        }
      },
      true,
    );
    document.addEventListener('pointerdown', (e) => {
      if (!this.box.hidden && !this.box.contains(e.target as Node)) this.hide(false);
    });
  }

  get open(): boolean {
    return !this.box.hidden;
  }

  hide(restoreFocus = false): void {
    if (this.box.hidden) return;
    this.box.hidden = true;
    if (restoreFocus && (this.opener instanceof HTMLElement || this.opener instanceof SVGElement)) this.opener.focus();
    this.opener = null;
  }

  private items(): HTMLElement[] {
    return [...this.box.querySelectorAll<HTMLElement>('button, input')];
  }

  private key(e: KeyboardEvent): void {
    const items = this.items();
    if (items.length === 0) return;
    const i = items.indexOf(document.activeElement as HTMLElement);
    let next = -1;
    if (e.key === 'ArrowDown') next = (i + 1) % items.length;
    else if (e.key === 'ArrowUp') next = (i - 1 + items.length) % items.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    else if (e.key === 'Tab') next = (i + (e.shiftKey ? -1 : 1) + items.length) % items.length;
    else {
      // keys typed in the menu (the clock-jump field) are the menu's, not the player's
      if (e.key !== 'Escape') e.stopPropagation();
      return;
    }
    // in the number field, ↑/↓ step its value
    if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && (document.activeElement as HTMLElement)?.tagName === 'INPUT') {
      e.stopPropagation();
      return;
    }
    e.preventDefault();
    e.stopPropagation();
    items[next].focus();
  }

  private show(title: string, items: [string, Action | null][], ev: MouseEvent | KeyboardEvent | null, extra?: HTMLElement): void {
    this.opener = (ev?.currentTarget as Element | null) ?? (document.activeElement as Element | null);
    this.box.replaceChildren(el('div', { className: 'menu-title', textContent: title, id: 'action-menu-title' }));
    this.box.setAttribute('aria-labelledby', 'action-menu-title');
    const why = this.enabled();
    if (why) this.box.append(el('p', { className: 'hint', textContent: why }), button('close', () => this.hide(true)));
    else {
      for (const [label, a] of items) {
        if (!a) continue;
        this.box.append(
          button(label, () => {
            this.hide(true);
            this.act(a);
          }, { dataset: { action: label } }),
        );
      }
      if (extra) this.box.append(extra);
    }
    this.box.hidden = false;
    // next to the pointer, or to the element that opened it (keyboard), always inside the window
    let x: number;
    let y: number;
    const me = ev as MouseEvent | null;
    if (me && Number.isFinite(me.clientX) && (me.clientX !== 0 || me.clientY !== 0)) {
      x = me.clientX + 8;
      y = me.clientY + 8;
    } else {
      const r = (this.opener as Element | null)?.getBoundingClientRect?.();
      x = r ? r.right + 6 : window.innerWidth / 2;
      y = r ? r.top : window.innerHeight / 3;
    }
    const w = this.box.offsetWidth;
    const h = this.box.offsetHeight;
    x = Math.max(4, Math.min(x, window.innerWidth - w - 4));
    y = Math.max(4, Math.min(y, window.innerHeight - h - 4));
    this.box.style.left = `${Math.round(x)}px`;
    this.box.style.top = `${Math.round(y)}px`;
    this.items()[0]?.focus();
  }

  /** `peers`: every server and Sentinel with its host (a partition puts this node's host alone on one side). */
  forNode(node: string, kind: string, proc: string, ev: MouseEvent | KeyboardEvent | null, peers: { name: string; host: string }[] = []): void {
    const host = peers.find((p) => p.name === node)?.host;
    const side = peers.filter((p) => p.host === host).map((p) => p.name);
    const rest = peers.filter((p) => p.host !== host).map((p) => p.name);
    const running = proc === 'running';
    const jump = el('div', { className: 'clock-jump' });
    const input = el('input', { type: 'number', value: '5000', step: '500', title: 'milliseconds (negative: backwards)', ariaLabel: 'clock jump in ms' });
    jump.append(
      input,
      button('clock jump (ms)', () => {
        this.hide(true);
        this.act({ op: 'clock-jump', node, deltaMs: Number(input.value) || 0 });
      }, { dataset: { action: 'clock jump' } }),
    );
    this.show(
      `${kind} ${node}`,
      [
        ['crash (kill -9)', running || proc === 'paused' ? { op: 'kill', node } : null],
        ['restart', { op: 'restart', node }],
        ['pause (SIGSTOP)', running ? { op: 'pause', node } : null],
        ['resume (SIGCONT)', proc === 'paused' ? { op: 'resume', node } : null],
        ['isolate host', { op: 'isolate', node }],
        ['partition: this host | the others', host && rest.length ? { op: 'partition', groups: [side, rest] } : null],
        ['heal all cuts', { op: 'heal' }],
        ['SENTINEL FAILOVER', kind === 'sentinel' && running ? { op: 'sentinel-failover', node } : null],
      ],
      ev,
      jump,
    );
  }

  forLink(a: string, b: string, ev: MouseEvent | KeyboardEvent | null): void {
    this.show(`link ${a} ↔ ${b}`, [
      ['cut', { op: 'cut', a, b }],
      ['heal (all cuts)', { op: 'heal' }],
      ['make lossy (20%)', { op: 'lossy', a, b, loss: 0.2 }],
      ['make lossless', { op: 'lossy', a, b, loss: 0 }],
    ], ev);
  }
}

export { splitArgs } from './redisCli.ts';

/** One command of the client history, as redis-cli would have shown it. */
export interface ClientEntry {
  /** Virtual µs the command was sent at. */
  at: number;
  node: string;
  db: number;
  argv: string[];
  /** The reply as redis-cli prints it, or redis-cli's words for a failure. */
  text: string;
  kind: 'reply' | 'error' | 'failed';
}

/** The client entry of an action's result (commands and SENTINEL FAILOVER only). */
export function clientEntry(r: ActionResult, masterName: string | null): ClientEntry | null {
  const a = r.action;
  if (a.op !== 'exec' && a.op !== 'sentinel-failover') return null;
  const argv = a.op === 'exec' ? a.argv : ['SENTINEL', 'FAILOVER', masterName ?? '?'];
  const db = a.op === 'exec' ? (a.db ?? 0) : 0;
  if (r.error !== null) return { at: r.at, node: a.node, db, argv, text: r.error, kind: 'failed' };
  const reply = r.reply ?? { t: 'simple' as const, v: '' };
  return { at: r.at, node: a.node, db, argv, text: formatReply(reply, argv), kind: reply.t === 'error' ? 'error' : 'reply' };
}

/**
 * The client panel: a redis-cli of sorts on any node. Replies are printed as redis-cli prints them; the
 * history is the current branch's (it is replaced when the branch changes); ↑/↓ recall earlier lines;
 * SELECT n is remembered per node (each command is sent on a fresh connection with that database).
 */
export class ClientPanel {
  readonly nodeSel: HTMLSelectElement;
  private readonly input: HTMLInputElement;
  private readonly promptEl: HTMLSpanElement;
  private readonly out: HTMLOListElement;
  private readonly dbs = new Map<string, number>();
  private readonly lines: string[] = [];
  private recall = -1;

  constructor(
    container: HTMLElement,
    private readonly send: (node: string, argv: string[], db: number) => ClientEntry | null | Promise<ClientEntry | null>,
  ) {
    this.nodeSel = el('select', { id: 'client-node', ariaLabel: 'node to send the command to' });
    this.promptEl = el('span', { className: 'client-prompt', ariaHidden: 'true' });
    this.input = el('input', { id: 'client-cmd', type: 'text', placeholder: 'SET name zhangsan · INFO replication · SENTINEL masters', ariaLabel: 'command', autocomplete: 'off', spellcheck: false });
    this.out = el('ol', { className: 'client-out', ariaLive: 'polite', ariaLabel: 'commands and replies', tabIndex: 0 });
    const form = el('form', { className: 'client-form' });
    form.append(this.nodeSel, this.promptEl, this.input, el('button', { type: 'submit', textContent: 'send' }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.nodeSel.addEventListener('change', () => this.showPrompt());
    this.input.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
      e.preventDefault();
      if (this.lines.length === 0) return;
      if (e.key === 'ArrowUp') this.recall = this.recall < 0 ? this.lines.length - 1 : Math.max(0, this.recall - 1);
      else this.recall = this.recall < 0 ? -1 : this.recall + 1;
      if (this.recall >= this.lines.length) this.recall = -1;
      this.input.value = this.recall < 0 ? '' : this.lines[this.recall];
    });
    container.append(form, this.out);
  }

  private async submit(): Promise<void> {
    const line = this.input.value;
    const argv = splitArgs(line);
    if (argv === null) {
      this.note('Invalid argument(s)', 'failed');
      return;
    }
    if (argv.length === 0) return;
    if (this.lines[this.lines.length - 1] !== line) this.lines.push(line);
    this.recall = -1;
    const node = this.nodeSel.value;
    const db = this.dbs.get(node) ?? 0;
    const entry = await this.send(node, argv.map(utf8Bytes), db);
    if (!entry) return;
    this.input.value = '';
    // redis-cli keeps the database of a successful SELECT for the next commands
    if (argv[0].toLowerCase() === 'select' && argv.length === 2 && entry.kind === 'reply' && /^\d+$/.test(argv[1])) this.dbs.set(node, Number(argv[1]));
    this.showPrompt();
  }

  /** Replace the history (a new branch or source): its commands and their replies. */
  setHistory(entries: ClientEntry[]): void {
    this.out.replaceChildren(...entries.map((e) => this.item(e)));
    this.dbs.clear();
    this.showPrompt();
  }

  add(entry: ClientEntry): void {
    this.out.append(this.item(entry));
    this.out.scrollTop = this.out.scrollHeight;
  }

  get entries(): number {
    return this.out.querySelectorAll('li.entry').length;
  }

  private note(text: string, kind: ClientEntry['kind']): void {
    const li = el('li', { className: `note ${kind}`, textContent: text });
    this.out.append(li);
    this.out.scrollTop = this.out.scrollHeight;
  }

  private item(e: ClientEntry): HTMLLIElement {
    const li = el('li', { className: `entry ${e.kind}`, dataset: { at: String(e.at), node: e.node } });
    const cmd = el('div', { className: 'cmd' });
    cmd.append(el('span', { className: 'at', textContent: formatClock(e.at) }), ` ${prompt(e.node, e.db)} ${e.argv.map(showArg).join(' ')}`);
    li.append(cmd, el('pre', { className: 'reply', textContent: e.text }));
    return li;
  }

  private showPrompt(): void {
    const node = this.nodeSel.value;
    this.promptEl.textContent = node ? prompt(node, this.dbs.get(node) ?? 0) : '';
  }

  setNodes(nodes: string[]): void {
    const keep = this.nodeSel.value;
    this.nodeSel.replaceChildren(...nodes.map((n) => new Option(n, n)));
    if (nodes.includes(keep)) this.nodeSel.value = keep;
    this.showPrompt();
  }

  select(node: string): void {
    if ([...this.nodeSel.options].some((o) => o.value === node)) this.nodeSel.value = node;
    this.showPrompt();
  }
}

/** An argument as typed back: plain when it can be, else quoted as redis-cli would need it. */
function showArg(a: string): string {
  return /^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a) ? a : repr(a);
}
