// The "Sentinel's reasoning" panel (issue 15 item 2): the latest election (candidate, epoch, `+odown #quorum
// k/q`, each Sentinel's vote, the tally against max(quorum, majority), the result) and the replica-selection
// table of the latest `+selected-slave` (every replica, the criteria in Redis's order, the rule that decided).
// Text only through textContent; redrawn only when what it says changes.
import { formatClock } from '../../engine/sim/time.ts';
import type { ReasoningIndex } from '../model/reasoning.ts';
import { CRITERIA, selectionAt, type SelectionView } from '../model/selection.ts';
import { lastElection, masterOf, odownForming, resultText, tallyAt, tallyText, type Tally } from '../model/tally.ts';
import type { ClusterState } from '../model/types.ts';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class ReasoningPanel {
  private readonly odown: HTMLUListElement;
  private readonly election: HTMLDivElement;
  private readonly selection: HTMLDivElement;
  private shownElection = '';
  private shownSelection = '';

  constructor(container: HTMLElement) {
    this.election = el('div', 'election-panel');
    this.election.setAttribute('aria-live', 'polite');
    this.odown = el('ul', 'odown-forming');
    this.odown.setAttribute('aria-label', 'masters held down, per Sentinel');
    this.selection = el('div', 'selection-panel');
    // it scrolls sideways on a narrow column: reachable by keyboard
    this.selection.tabIndex = 0;
    this.selection.setAttribute('role', 'region');
    this.selection.setAttribute('aria-label', 'replica selection');
    container.append(this.odown, el('h3', undefined, 'Election'), this.election, el('h3', undefined, 'Replica selection'), this.selection);
  }

  render(ix: ReasoningIndex, st: ClusterState, t: number): void {
    // odown as it forms: each Sentinel holding its master sdown, and how many agree against the quorum
    const forming = Object.values(st.nodes)
      .filter((n) => n.kind === 'sentinel' && n.proc === 'running')
      .flatMap((n) => odownForming(ix, st, n.name, t).map((o) => ({ node: n.name, ...o })));
    const ok = forming.map((o) => `${o.node}|${o.master}|${o.k}|${o.q}|${o.odown}`).join();
    if (this.odown.dataset.key !== ok) {
      this.odown.dataset.key = ok;
      this.odown.replaceChildren(
        ...forming.map((o) => {
          const li = el('li', o.odown ? 'odown' : 'sdown', `${o.node}: ${o.master} ${o.odown ? '+odown' : 'sdown, asking the others:'} #quorum ${o.k}/${o.q}`);
          li.dataset.sentinel = o.node;
          return li;
        }),
      );
    }
    const e = lastElection(ix, t);
    const x = e ? tallyAt(ix, e, st, t) : null;
    const ek = x ? `${e!.candidate}|${e!.epoch}|${e!.start}|${x.granted.join()}|${x.other.map((o) => o.voter + o.leader).join()}|${x.result}|${x.needed}|${x.voters}|${x.requests.filter((m) => m.sent <= t).length}` : '';
    if (ek !== this.shownElection) {
      this.shownElection = ek;
      this.election.replaceChildren(...(x ? electionBlock(x, st, t) : [el('p', 'hint', 'No election yet: a Sentinel starts one (+try-failover) once its master is objectively down (+odown).')]));
    }
    const s = selectionAt(ix, t);
    const sk = s ? `${s.index}` : '';
    if (sk !== this.shownSelection) {
      this.shownSelection = sk;
      this.selection.replaceChildren(...(s ? selectionBlock(s) : [el('p', 'hint', 'No replica chosen yet: the elected leader picks one at +selected-slave; every replica it knew is listed here then.')]));
    }
  }
}

function electionBlock(x: Tally, st: ClusterState, t: number): HTMLElement[] {
  const e = x.election;
  const head = el('p', 'election-head');
  head.textContent = `Epoch ${e.epoch}: Sentinel ${e.candidate} asks for votes to fail over ${e.master} (+try-failover at ${formatClock(e.start)}${e.odown ? `, after +odown #quorum ${e.odown.k}/${e.odown.q}` : ''}).`;
  const tally = el('p', 'tally-line');
  tally.dataset.granted = String(x.granted.length);
  tally.dataset.needed = String(x.needed);
  tally.textContent = `${tallyText(x)} = max(quorum ${x.quorum}, majority ${x.majority} of ${x.voters} Sentinels) → ${resultText(x)}`;
  const ul = el('ul', 'votes');
  const mv = masterOf(st, e.candidate, e.master);
  const voters = [e.candidate, ...(mv?.sentinels.map((s) => s.addr) ?? [])];
  for (const v of voters) {
    const li = el('li');
    const other = x.other.find((o) => o.voter === v);
    const asked = x.requests.some((m) => m.to === v && m.sent <= t);
    const granted = x.granted.includes(v);
    li.dataset.voter = v;
    li.dataset.vote = granted ? 'granted' : other ? 'other' : 'none';
    li.textContent =
      v === e.candidate
        ? `${granted ? '✔' : '…'} ${v} (the candidate) ${granted ? 'votes for itself' : 'has not voted for itself'}`
        : granted
          ? `✔ ${v} voted for ${e.candidate}`
          : other
            ? `✖ ${v} voted for ${other.leader}`
            : asked
              ? `… ${v} asked (is-master-down-by-addr with the runid), no vote counted yet`
              : `· ${v} not asked yet`;
    ul.append(li);
  }
  const why = el('p', 'hint');
  why.textContent =
    x.result === 'elected'
      ? `Elected: ${x.granted.length} votes ≥ ${x.needed}. The leader now picks a replica to promote.`
      : x.result === 'not-elected'
        ? `Not elected within the election timeout: fewer than ${x.needed} votes (${x.granted.length}). It will retry after 2 × failover-timeout.`
        : `The candidate counts the votes every 100 ms (sentinelGetLeader): it needs ${x.needed}.`;
  return [head, tally, ul, why];
}

function selectionBlock(s: SelectionView): HTMLElement[] {
  const head = el('p', 'selection-head');
  head.textContent = `At ${formatClock(s.at)}, Sentinel ${s.sentinel} (leader of epoch ${s.epoch}) chose ${s.chosen ?? 'no replica'} for ${s.master}.`;
  const table = el('table', 'selection-table');
  const order = el('p', 'hint', "sentinelSelectSlave, in Redis's order: (1) filter out replicas that are down, disconnected or stale, or have priority 0; then compareSlavesForPromotion: (2) lower replica-priority, (3) higher replication offset, (4) lower run id.");
  const thead = el('thead');
  const hr = el('tr');
  const cols: { text: string; title?: string; key?: string }[] = [{ text: 'replica' }, ...CRITERIA.map((c) => ({ text: c.short, title: c.label, key: c.key })), { text: 'verdict' }];
  for (const h of cols) {
    const th = el('th', undefined, h.text);
    th.scope = 'col';
    if (h.title) th.title = h.title;
    if (h.key) th.dataset.criterion = h.key;
    if (h.key && (h.key === s.decidedBy || (h.key === 'state' && (s.decidedBy === 'no-candidate' || s.decidedBy === 'only-candidate')))) th.className = 'decided';
    hr.append(th);
  }
  thead.append(hr);
  const tbody = el('tbody');
  for (const r of s.rows) {
    const tr = el('tr');
    tr.dataset.replica = r.name;
    tr.dataset.rank = r.rank === null ? '' : String(r.rank);
    if (r.chosen) tr.className = 'chosen';
    const cells = [
      r.name,
      r.rejected ?? 'ok',
      String(r.priority),
      String(r.offset),
      r.runid ? r.runid.slice(0, 6) + '…' : '(none)',
      r.chosen ? 'chosen' : r.rank !== null ? `#${r.rank}` : 'out',
    ];
    cells.forEach((c, i) => {
      const td = el(i === 0 ? 'th' : 'td', undefined, c);
      if (i === 0) (td as HTMLTableCellElement).scope = 'row';
      if (i === 4 && r.runid) td.title = r.runid;
      tr.append(td);
    });
    tbody.append(tr);
  }
  table.append(thead, tbody);
  const rule = el('p', 'decided-by');
  rule.dataset.rule = s.decidedBy;
  rule.textContent = `Decided by: ${ruleName(s.decidedBy)} — ${s.reason}.`;
  return [head, order, table, rule];
}

function ruleName(r: SelectionView['decidedBy']): string {
  return r === 'priority' ? 'replica-priority' : r === 'offset' ? 'replication offset' : r === 'runid' ? 'run id' : r === 'only-candidate' ? 'the filters (one candidate left)' : r === 'no-candidate' ? 'the filters (no candidate left)' : 'a full tie (table order)';
}
