// The fake client that replays an AOF (loadSingleAppendOnlyFile): commands run directly, with
// MULTI/EXEC queueing, no replies, no statistics, no propagation.
import { CallContext } from './call.ts';
import type { Client } from './client.ts';
import { resolveCommand } from './dispatch.ts';
import type { RedisServer } from './server.ts';

export function processCommandFromAof(s: RedisServer, c: Client, argv: string[]): void {
  const r = resolveCommand(argv);
  if ('t' in r) {
    s.log('#', `Unknown command '${argv[0]}' reading the append only file ${s.conf.get('appendfilename')}`);
    return;
  }
  const name = r.spec.name;
  if (name === 'multi') {
    c.multi = { queue: [], error: false };
    c.multiSpecs = [];
    return;
  }
  if (name === 'exec' && c.multi) {
    const queue = c.multi.queue;
    c.multi = null;
    c.multiSpecs = [];
    for (const q of queue) processCommandFromAof(s, c, q);
    return;
  }
  if (c.multi) {
    c.multi.queue.push(argv);
    return;
  }
  runDirect(s, c, argv, r.spec.handler);
}

function runDirect(s: RedisServer, c: Client, argv: string[], handler: (ctx: CallContext) => unknown): void {
  const ctx = new CallContext(s, c, argv, true);
  const prev = s.currentClient;
  s.currentClient = c;
  c.sink = [];
  try {
    handler(ctx);
  } finally {
    c.sink = null;
    s.currentClient = prev;
  }
  s.dirty += ctx.dirtyCount;
}
