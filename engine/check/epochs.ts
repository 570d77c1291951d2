// Epochs never go backwards (sentinel.md §9.3): per Sentinel, the current epoch (its +new-epoch events and
// keyframes, across restarts: it is persisted in sentinel.conf, §4.2) and each master's config epoch (keyframes).
import { eventWords, isSentinelEvent, sentinelView } from './trace-read.ts';
import { result, type CheckInput, type CheckResult, type Violation } from './types.ts';

export function checkEpochsMonotonic(input: CheckInput): CheckResult {
  const violations: Violation[] = [];
  const current = new Map<string, { epoch: number; t: number; src: string }>();
  const config = new Map<string, { epoch: number; t: number }>();
  let newEpochs = 0;
  let maxEpoch = 0;
  const see = (node: string, epoch: number, t: number, src: string, strict: boolean) => {
    const prev = current.get(node);
    if (prev && (strict ? epoch <= prev.epoch : epoch < prev.epoch))
      violations.push({
        t,
        node,
        message: `current epoch ${strict ? 'raised' : 'is'} to ${epoch} (${src}) after ${prev.epoch} (${prev.src} at ${(prev.t / 1e6).toFixed(3)} s)`,
      });
    if (!prev || epoch >= prev.epoch) current.set(node, { epoch, t, src });
    maxEpoch = Math.max(maxEpoch, epoch);
  };
  for (const r of input.records) {
    if (isSentinelEvent(r) && r.event === '+new-epoch') {
      newEpochs++;
      // +new-epoch is logged only when the epoch is raised (§9.1, §10.1, §11.2)
      see(r.node, Number(eventWords(r)[0]), r.t, '+new-epoch', true);
    } else if (r.k === 'keyframe') {
      for (const [node, v] of Object.entries(r.nodes)) {
        const view = sentinelView(v);
        if (!view) continue;
        see(node, view.currentEpoch, r.t, 'keyframe', false);
        for (const m of view.masters) {
          const k = `${node}/${m.name}`;
          const prev = config.get(k);
          if (prev && m.configEpoch < prev.epoch)
            violations.push({ t: r.t, node, message: `config epoch of ${m.name} went from ${prev.epoch} to ${m.configEpoch}` });
          if (!prev || m.configEpoch >= prev.epoch) config.set(k, { epoch: m.configEpoch, t: r.t });
        }
      }
    }
  }
  const summary = [`${current.size} Sentinel(s), ${newEpochs} +new-epoch event(s), highest epoch ${maxEpoch}`];
  return result('epochs-monotonic', violations, summary, { maxEpoch });
}
