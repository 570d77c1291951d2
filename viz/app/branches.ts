// Branches of a live run as a tree (issue 15, item 1): the run as loaded is the root; acting while scrubbed
// back forks a child at the playhead that keeps every earlier action of its parent. Each branch is its plan
// (fork.ts), so switching rebuilds it deterministically; the panel lists them, switches, and exports the
// current one as a scenario file and as a link.
import { formatClock } from '../../engine/sim/time.ts';
import { button, el } from './dom.ts';
import { describeAction, type BranchPlan } from './fork.ts';

export interface Branch {
  id: number;
  parent: number | null;
  plan: BranchPlan;
  /** Where it was forked from its parent (null: the root). */
  forkT: number | null;
  /** How far its engine had run when last left (switching back runs it there again). */
  head: number;
}

export class BranchTree {
  readonly branches: Branch[] = [];
  current = 0;
  private nextId = 0;

  reset(plan: BranchPlan, head: number): Branch {
    this.branches.length = 0;
    this.nextId = 0;
    const b = { id: this.nextId++, parent: null, plan, forkT: null, head };
    this.branches.push(b);
    this.current = b.id;
    return b;
  }

  add(parent: number, plan: BranchPlan, forkT: number, head: number): Branch {
    const b = { id: this.nextId++, parent, plan, forkT, head };
    this.branches.push(b);
    this.current = b.id;
    return b;
  }

  get(id: number): Branch | undefined {
    return this.branches.find((b) => b.id === id);
  }

  get active(): Branch {
    return this.get(this.current)!;
  }

  depth(b: Branch): number {
    let d = 0;
    for (let p = b.parent; p !== null; p = this.get(p)?.parent ?? null) d++;
    return d;
  }

  /** Depth-first order: each branch after its parent, children by creation. */
  ordered(): Branch[] {
    const out: Branch[] = [];
    const visit = (parent: number | null) => {
      for (const b of this.branches) if (b.parent === parent) {
        out.push(b);
        visit(b.id);
      }
    };
    visit(null);
    return out;
  }
}

export const branchName = (b: Branch) => (b.parent === null ? 'main' : `b${b.id}`);

export class BranchPanel {
  private readonly list: HTMLOListElement;
  private readonly actions: HTMLOListElement;
  private readonly title: HTMLParagraphElement;
  readonly exportBtn: HTMLButtonElement;
  readonly linkBtn: HTMLButtonElement;

  constructor(
    container: HTMLElement,
    private readonly handlers: { switchTo: (id: number) => void; seek: (t: number) => void; exportFile: () => void; copyLink: () => void },
  ) {
    this.list = el('ol', { className: 'branch-list', ariaLabel: 'branches' });
    this.title = el('p', { className: 'branch-title' });
    this.actions = el('ol', { className: 'branch-actions', ariaLabel: 'actions of the current branch', tabIndex: 0 });
    this.exportBtn = button('export scenario…', () => handlers.exportFile(), { id: 'export-branch', title: 'the branch as a scenario file that sentinel-sim run replays to the same trace' });
    this.linkBtn = button('copy link', () => handlers.copyLink(), { id: 'copy-link', title: 'a link that opens this branch' });
    container.append(this.list, this.title, this.actions, el('div', { className: 'branch-buttons' }, this.exportBtn, this.linkBtn));
    this.list.addEventListener('click', (ev) => {
      const b = (ev.target as HTMLElement).closest<HTMLButtonElement>('button[data-branch]');
      if (b && b.getAttribute('aria-current') !== 'true') handlers.switchTo(Number(b.dataset.branch));
    });
    this.actions.addEventListener('click', (ev) => {
      const b = (ev.target as HTMLElement).closest<HTMLButtonElement>('button[data-t]');
      if (b) handlers.seek(Number(b.dataset.t));
    });
  }

  /** A trace file is open: nothing to branch. */
  clear(): void {
    this.list.replaceChildren();
    this.actions.replaceChildren();
    this.title.textContent = 'Branches need the engine in the page: pick a scenario and press run.';
    this.exportBtn.disabled = this.linkBtn.disabled = true;
  }

  render(tree: BranchTree): void {
    this.exportBtn.disabled = this.linkBtn.disabled = false;
    this.list.replaceChildren(
      ...tree.ordered().map((b) => {
        const n = b.plan.actions.length;
        const cur = b.id === tree.current;
        const text = `${branchName(b)}${b.forkT !== null ? ` · forked at ${formatClock(b.forkT)}` : ''} · ${n} action${n === 1 ? '' : 's'}`;
        const btn = button(text, () => undefined, { dataset: { branch: String(b.id) }, title: b.plan.actions.map((a) => `${formatClock(a.t)} ${describeAction(a)}`).join('\n') || 'no actions' });
        btn.setAttribute('aria-current', cur ? 'true' : 'false');
        const li = el('li', { className: cur ? 'current' : '' }, btn);
        li.style.paddingLeft = `${tree.depth(b) * 14}px`;
        return li;
      }),
    );
    const b = tree.active;
    const p = b.plan;
    this.title.textContent = `${branchName(b)}: ${p.scenario} seed ${p.seed}, script ${p.cut === null ? 'to its end' : `cut at ${formatClock(p.cut)}`}`;
    this.actions.replaceChildren(
      ...p.actions.map((a) => el('li', {}, button(`${formatClock(a.t)} ${describeAction(a)}`, () => undefined, { dataset: { t: String(a.t), op: a.op }, title: 'go to this instant' }))),
    );
  }
}
