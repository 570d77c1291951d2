// A branch out of the page (issue 15 item 1): as a scenario file (importing sentinel-sim from the package or a
// clone's folder) with the trace hash `sentinel-sim run` gives for it, in the "export scenario…" dialog; and as
// a link (the page's URL follows the current branch). The engine and the library are loaded for an export only
// (a chunk of their own: the page starts without evaluating them).
import { button, el } from './dom.ts';
import { planQuery, type BranchPlan } from './fork.ts';

export interface ExportedBranch {
  text: string;
  sha256: string;
  url: string;
  name: string;
}

export function showExportDialog(dlg: HTMLDialogElement, title: string, produce: (from: string) => Promise<ExportedBranch | null>): void {
  const from = el('input', { id: 'export-from', type: 'text', value: 'sentinel-sim', size: 28, ariaLabel: 'import sentinel-sim from (the package name, or the folder of a clone)' });
  const text = el('textarea', { id: 'export-text', readOnly: true, rows: 14, cols: 80, ariaLabel: 'the scenario file' });
  const hash = el('p', { id: 'export-hash', className: 'hint' });
  const save = el('a', { id: 'export-save', className: 'button', textContent: 'save file' });
  let asked = 0;
  let lastFrom: string | null = null;
  // the branch runs (the engine loaded) in the background: the dialog keeps its layout meanwhile (a change
  // event fired by a click on "close" must not move the button under the pointer), busy is said in aria-busy
  const fill = async () => {
    const f = from.value.trim() || 'sentinel-sim';
    if (f === lastFrom) return;
    lastFrom = f;
    const n = ++asked;
    text.setAttribute('aria-busy', 'true');
    const x = await produce(f);
    if (n !== asked) return;
    text.removeAttribute('aria-busy');
    if (!x) return;
    text.value = x.text;
    hash.textContent = `sentinel-sim run ${x.name} → trace sha256 ${x.sha256}`;
    hash.dataset.sha256 = x.sha256;
    if (save.href) URL.revokeObjectURL(save.href);
    save.href = URL.createObjectURL(new Blob([x.text], { type: 'text/typescript' }));
    save.download = x.name;
  };
  from.addEventListener('change', () => void fill());
  dlg.replaceChildren(
    el('h2', { textContent: title }),
    el('label', {}, 'import sentinel-sim from ', from),
    el('p', { className: 'hint', textContent: "'sentinel-sim' (the package), or the folder of a clone of the repository (e.g. /home/me/sentinel-sim)" }),
    text,
    hash,
    el('div', { className: 'branch-buttons' }, save, button('close', () => dlg.close(), { id: 'export-close' })),
  );
  void fill();
  dlg.showModal();
  from.focus();
}

/** The link that opens `plan` run to `end`, the playhead at `t`. */
export function branchUrl(plan: BranchPlan | null, end: number, t: number): string {
  const url = new URL(location.href);
  if (plan) url.search = planQuery(plan, end, t).toString();
  return url.href;
}

/** The page's URL follows the current branch (its end only when it differs from the scenario as is). */
export function updateUrl(plan: BranchPlan, end: number): void {
  const url = new URL(location.href);
  url.search = planQuery(plan, plan.actions.length || plan.cut !== null ? end : undefined).toString();
  history.replaceState(null, '', url);
}

export async function copyLink(href: string, say: (text: string) => void): Promise<void> {
  try {
    await navigator.clipboard.writeText(href);
    say(`link copied: ${href}`);
  } catch {
    say(`link: ${href}`);
  }
}

/**
 * The branch as a scenario file (imports from `from`: the package name, or a clone's folder), and the sha256
 * of the trace `sentinel-sim run` gives for it — the same run done here.
 */
export async function exportBranch(plan: BranchPlan, end: number, url: string, branch: string, from = 'sentinel-sim'): Promise<ExportedBranch | null> {
  const [{ runScenario }, { forkScenario, scenarioFileText, setupConfigs }, { findScenario, readBundledFile }] = await Promise.all([
    import('../../scenarios/api/index.ts'),
    import('./branchRun.ts'),
    import('./library.ts'),
  ]);
  const base = findScenario(plan.scenario);
  if (!base) return null;
  const res = runScenario(forkScenario(base, plan, end), { readFile: readBundledFile });
  const text = scenarioFileText(plan, end, { from, sha256: res.sha256, url, configs: setupConfigs(base, plan.seed, readBundledFile) });
  return { text, sha256: res.sha256, url, name: `${plan.scenario}-${branch}.ts` };
}
