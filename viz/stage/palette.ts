// Colours and shapes (Okabe–Ito palette: distinguishable with the common colour-vision deficiencies;
// every colour is paired with a shape, a dash or a glyph so nothing relies on colour alone).
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  grey: '#8c8c8c',
};

export const NODE_COLORS = {
  master: OKABE_ITO.blue,
  replica: OKABE_ITO.sky,
  sentinel: OKABE_ITO.orange,
  down: '#c8c8c8',
};

/** Message kinds as the engine labels them (Conn.send kind), grouped as the issue lists them. */
export const MESSAGE_GROUPS: { label: string; kinds: string[]; color: string }[] = [
  { label: 'PING / INFO', kinds: ['ping', 'info'], color: OKABE_ITO.sky },
  { label: 'hello', kinds: ['hello'], color: OKABE_ITO.green },
  { label: 'is-master-down-by-addr / votes / Sentinel commands', kinds: ['vote', 'sentinel-cmd'], color: OKABE_ITO.purple },
  { label: 'replication stream', kinds: ['repl', 'rdb'], color: OKABE_ITO.blue },
  { label: 'client traffic', kinds: ['client'], color: '#b59f00' },
];

const byKind = new Map(MESSAGE_GROUPS.flatMap((g) => g.kinds.map((k) => [k, g.color] as const)));

export function messageColor(kind: string): string {
  return byKind.get(kind) ?? OKABE_ITO.grey;
}

export const MARKER_COLORS: Record<string, string> = {
  sdown: OKABE_ITO.orange,
  odown: OKABE_ITO.vermillion,
  election: OKABE_ITO.purple,
  'switch-master': OKABE_ITO.blue,
  'failover-end': OKABE_ITO.green,
  fault: OKABE_ITO.black,
  tilt: OKABE_ITO.yellow,
  note: OKABE_ITO.grey,
};

/** Colours for one line per Sentinel in the epochs chart. */
export const SERIES = [OKABE_ITO.orange, OKABE_ITO.purple, OKABE_ITO.green, OKABE_ITO.vermillion, OKABE_ITO.blue, OKABE_ITO.sky, OKABE_ITO.black];
