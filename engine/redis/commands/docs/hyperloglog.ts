// COMMAND DOCS of Redis 7.0.15's hyperloglog commands as redis-server 7.0.15 answers them (by full name):
// summary, since, group, complexity, doc flags, deprecation, history and the argument tree.
import type { CommandDocs } from './types.ts';

export const DOCS: Readonly<Record<string, CommandDocs>> = {
  "pfadd": {"summary": "Adds the specified elements to the specified HyperLogLog.", "since": "2.8.9", "group": "hyperloglog", "complexity": "O(1) to add every element.", "args": [{"name": "key", "type": "key", "keySpecIndex": 0}, {"name": "element", "type": "string", "flags": ["optional", "multiple"]}]},
  "pfcount": {"summary": "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).", "since": "2.8.9", "group": "hyperloglog", "complexity": "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.", "args": [{"name": "key", "type": "key", "keySpecIndex": 0, "flags": ["multiple"]}]},
  "pfdebug": {"summary": "Internal commands for debugging HyperLogLog values", "since": "2.8.9", "group": "hyperloglog", "complexity": "N/A", "docFlags": ["syscmd"], "args": [{"name": "subcommand", "type": "string"}, {"name": "key", "type": "key", "keySpecIndex": 0}]},
  "pfmerge": {"summary": "Merge N different HyperLogLogs into a single one.", "since": "2.8.9", "group": "hyperloglog", "complexity": "O(N) to merge N HyperLogLogs, but with high constant times.", "args": [{"name": "destkey", "type": "key", "keySpecIndex": 0}, {"name": "sourcekey", "type": "key", "keySpecIndex": 1, "flags": ["multiple"]}]},
  "pfselftest": {"summary": "An internal command for testing HyperLogLog values", "since": "2.8.9", "group": "hyperloglog", "complexity": "N/A", "docFlags": ["syscmd"]},
};
