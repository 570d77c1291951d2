// Live-mode controls (spec viz.md §3): a menu on a node (crash, restart, pause/resume, isolate, clock jump,
// SENTINEL FAILOVER), on a link (cut, heal, lossy), and the client panel (send a command, see the reply).
import type { Action } from './session.ts';
import { button, el } from './dom.ts';

export class ActionMenu {
  private readonly box: HTMLDivElement;

  constructor(
    private readonly act: (a: Action) => void,
    private readonly enabled: () => string | null,
  ) {
    this.box = el('div', { className: 'action-menu', hidden: true, role: 'menu' });
    document.body.append(this.box);
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.hide();
    });
    document.addEventListener('pointerdown', (e) => {
      if (!this.box.hidden && !this.box.contains(e.target as Node)) this.hide();
    });
  }

  hide(): void {
    this.box.hidden = true;
  }

  private show(title: string, items: [string, Action | null][], ev: MouseEvent, extra?: HTMLElement): void {
    this.box.replaceChildren(el('div', { className: 'menu-title', textContent: title }));
    const why = this.enabled();
    if (why) this.box.append(el('p', { className: 'hint', textContent: why }));
    else {
      for (const [label, a] of items) {
        if (!a) continue;
        this.box.append(button(label, () => {
          this.hide();
          this.act(a);
        }, { dataset: { action: label } }));
      }
      if (extra) this.box.append(extra);
    }
    this.box.hidden = false;
    const x = Math.min(ev.clientX + 8, window.innerWidth - 230);
    const y = Math.min(ev.clientY + 8, window.innerHeight - this.box.offsetHeight - 8);
    this.box.style.left = `${Math.max(4, x) + window.scrollX}px`;
    this.box.style.top = `${Math.max(4, y) + window.scrollY}px`;
  }

  forNode(node: string, kind: string, proc: string, ev: MouseEvent): void {
    const running = proc === 'running';
    const jump = el('div', { className: 'clock-jump' });
    const input = el('input', { type: 'number', value: '5000', step: '500', title: 'milliseconds (negative: backwards)', ariaLabel: 'clock jump in ms' });
    jump.append(
      input,
      button('clock jump (ms)', () => {
        this.hide();
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
        ['heal all cuts', { op: 'heal' }],
        ['SENTINEL FAILOVER', kind === 'sentinel' && running ? { op: 'sentinel-failover', node } : null],
      ],
      ev,
      jump,
    );
  }

  forLink(a: string, b: string, ev: MouseEvent): void {
    this.show(`link ${a} ↔ ${b}`, [
      ['cut', { op: 'cut', a, b }],
      ['heal (all cuts)', { op: 'heal' }],
      ['make lossy (20%)', { op: 'lossy', a, b, loss: 0.2 }],
      ['make lossless', { op: 'lossy', a, b, loss: 0 }],
    ], ev);
  }
}

/** Parse a command line the way redis-cli splits it (quotes and backslash escapes). */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    let cur = '';
    if (line[i] === '"' || line[i] === "'") {
      const q = line[i++];
      while (i < line.length && line[i] !== q) {
        if (q === '"' && line[i] === '\\' && i + 1 < line.length) {
          const c = line[++i];
          cur += c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
        } else cur += line[i];
        i++;
      }
      if (i >= line.length) return null;
      i++;
      if (i < line.length && !/\s/.test(line[i])) return null;
    } else while (i < line.length && !/\s/.test(line[i])) cur += line[i++];
    out.push(cur);
  }
  return out;
}

export class ClientPanel {
  readonly nodeSel: HTMLSelectElement;
  private readonly input: HTMLInputElement;
  private readonly out: HTMLPreElement;

  constructor(container: HTMLElement, send: (node: string, argv: string[]) => string | null) {
    this.nodeSel = el('select', { ariaLabel: 'node to send the command to' });
    this.input = el('input', { type: 'text', placeholder: 'SET name zhangsan · INFO replication · SENTINEL masters', ariaLabel: 'command' });
    this.out = el('pre', { className: 'client-out', ariaLive: 'polite' });
    const form = el('form', { className: 'client-form' });
    form.append(this.nodeSel, this.input, el('button', { type: 'submit', textContent: 'send' }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const argv = splitArgs(this.input.value);
      if (!argv || argv.length === 0) {
        this.out.textContent = argv ? '' : 'Invalid argument(s)';
        return;
      }
      const reply = send(this.nodeSel.value, argv);
      if (reply !== null) this.out.textContent = `${this.nodeSel.value}> ${argv.join(' ')}\n${reply}`;
    });
    container.append(form, this.out);
  }

  setNodes(nodes: string[]): void {
    const keep = this.nodeSel.value;
    this.nodeSel.replaceChildren(...nodes.map((n) => new Option(n, n)));
    if (nodes.includes(keep)) this.nodeSel.value = keep;
  }

  select(node: string): void {
    if ([...this.nodeSel.options].some((o) => o.value === node)) this.nodeSel.value = node;
  }
}
