// node:crypto's SHA-256 for traces run under Node (same digest as the browser-safe default, faster).
import { createHash } from 'node:crypto';
import type { Sha256Hasher } from '../engine/trace/trace.ts';

export function nodeSha256(): Sha256Hasher {
  const h = createHash('sha256');
  return {
    update: (d) => {
      h.update(d);
    },
    // node:crypto encodes the string to UTF-8 itself (lone surrogates → U+FFFD, as TextEncoder does)
    updateText: (t) => {
      h.update(t, 'utf8');
    },
    digestHex: () => h.digest('hex'),
  };
}
