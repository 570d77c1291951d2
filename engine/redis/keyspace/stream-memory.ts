// MEMORY USAGE of a stream (object.c objectComputeSize, OBJ_STREAM branch, Redis 7.0.15).
import { nodeBytes, type Stream } from './stream.ts';

/** streamRadixTreeMemoryUsage: keys of 16 bytes plus a rough per-node cost. */
const raxUsage = (numele: number, numnodes: number): number => numele * 16 + numnodes * (4 + 8 * 30);

/** The allocation of a node's listpack: the tail keeps its 4096-byte preallocation until it outgrows
 *  it; full nodes were shrunk to fit (lpShrinkToFit). */
function lpAlloc(bytes: number, tail: boolean, jemallocSize: (n: number) => number): number {
  if (tail && bytes <= 4096) return 4096;
  return jemallocSize(bytes);
}

/** robj + stream struct + rax + sampled listpacks + consumer groups (sizes of the C structs). */
export function streamMemoryUsage(s: Stream, samples: number, jemallocSize: (n: number) => number): number {
  let size = 16 + 80 + raxUsage(s.nodes.length, s.radixTreeNodes);
  const n = s.nodes.length;
  let lpsize = 0;
  let k = 0;
  for (; k < samples && k < n; k++) lpsize += lpAlloc(nodeBytes(s.nodes[k]!), k === n - 1, jemallocSize);
  if (n <= k) size += lpsize;
  else {
    if (k) lpsize = Math.floor(lpsize / k);
    size += lpsize * (n - 1) + lpAlloc(nodeBytes(s.nodes[n - 1]!), true, jemallocSize);
  }
  for (const g of s.groups.values()) {
    size += 40 + raxUsage(g.pel.size, g.pel.size + 1) + 24 * g.pel.size;
    for (const c of g.consumers.values()) size += 24 + c.name.length + raxUsage(c.pel.size, c.pel.size + 1);
  }
  return size;
}
