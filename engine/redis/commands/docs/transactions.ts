// COMMAND DOCS of Redis 7.0.15's transactions commands as redis-server 7.0.15 answers them (by full name):
// summary, since, group, complexity, doc flags, deprecation, history and the argument tree.
import type { CommandDocs } from './types.ts';

export const DOCS: Readonly<Record<string, CommandDocs>> = {
  "discard": {"summary": "Discard all commands issued after MULTI", "since": "2.0.0", "group": "transactions", "complexity": "O(N), when N is the number of queued commands"},
  "exec": {"summary": "Execute all commands issued after MULTI", "since": "1.2.0", "group": "transactions", "complexity": "Depends on commands in the transaction"},
  "multi": {"summary": "Mark the start of a transaction block", "since": "1.2.0", "group": "transactions", "complexity": "O(1)"},
  "unwatch": {"summary": "Forget about all watched keys", "since": "2.2.0", "group": "transactions", "complexity": "O(1)"},
  "watch": {"summary": "Watch the given keys to determine execution of the MULTI/EXEC block", "since": "2.2.0", "group": "transactions", "complexity": "O(1) for every key.", "args": [{"name": "key", "type": "key", "keySpecIndex": 0, "flags": ["multiple"]}]},
};
