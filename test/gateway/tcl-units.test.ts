// `npm run tcl-units`: where the tool path and the units come from (no path outside the repo is built in).
import { describe, expect, it } from 'vitest';
import { CORE_UNITS, parseArgs } from '../../bin/gateway/tcl-units.ts';

describe('tcl-units arguments', () => {
  const cases: [string, string[], Record<string, string>, { tool: string; units: string[] } | null][] = [
    ['nothing named: usage error', [], {}, null],
    ['units only, no tool: usage error', ['unit/type/incr'], {}, null],
    ['tool as first argument, core units', ['/x/tool.sh'], {}, { tool: '/x/tool.sh', units: CORE_UNITS }],
    ['tool and units', ['/x/tool.sh', 'unit/pubsub'], {}, { tool: '/x/tool.sh', units: ['unit/pubsub'] }],
    ['tool from REDIS_TCL_UNITS', ['unit/pubsub'], { REDIS_TCL_UNITS: '/y/t.sh' }, { tool: '/y/t.sh', units: ['unit/pubsub'] }],
    ['REDIS_TCL_UNITS, core units', [], { REDIS_TCL_UNITS: '/y/t.sh' }, { tool: '/y/t.sh', units: CORE_UNITS }],
  ];
  it.each(cases)('%s', (_what, argv, env, want) => {
    expect(parseArgs(argv, env)).toEqual(want);
  });
});
