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
  /** An application host (s.app). */
  app: OKABE_ITO.green,
  down: '#c8c8c8',
};

/** Shapes of message dots: each kind has its own shape as well as its own colour. */
export type MessageShape = 'circle' | 'triangle' | 'diamond' | 'square' | 'star' | 'cross';

/** Message kinds as the engine labels them (Conn.send kind), grouped as the issue lists them. */
export const MESSAGE_GROUPS: { label: string; kinds: string[]; color: string; shape: MessageShape }[] = [
  { label: 'PING / INFO', kinds: ['ping', 'info'], color: OKABE_ITO.sky, shape: 'circle' },
  { label: 'hello', kinds: ['hello'], color: OKABE_ITO.green, shape: 'triangle' },
  { label: 'is-master-down-by-addr / votes / Sentinel commands', kinds: ['vote', 'sentinel-cmd'], color: OKABE_ITO.purple, shape: 'diamond' },
  { label: 'replication stream', kinds: ['repl', 'rdb'], color: OKABE_ITO.blue, shape: 'square' },
  { label: 'client traffic, application commands', kinds: ['client', 'app'], color: '#b59f00', shape: 'star' },
];
/** Any other kind. */
export const OTHER_MESSAGE = { label: 'other', color: OKABE_ITO.grey, shape: 'cross' as MessageShape };

const byKind = new Map(MESSAGE_GROUPS.flatMap((g) => g.kinds.map((k) => [k, g] as const)));

export function messageColor(kind: string): string {
  return byKind.get(kind)?.color ?? OTHER_MESSAGE.color;
}

export function messageShape(kind: string): MessageShape {
  return byKind.get(kind)?.shape ?? OTHER_MESSAGE.shape;
}

/** An SVG path of a message shape centred on 0,0, about `r` in radius (same visual weight for every shape). */
export function shapePath(shape: MessageShape, r: number): string {
  const k = (x: number) => +x.toFixed(2);
  switch (shape) {
    case 'circle':
      return `M${k(r)},0A${k(r)},${k(r)} 0 1,1 ${k(-r)},0A${k(r)},${k(r)} 0 1,1 ${k(r)},0Z`;
    case 'square': {
      const a = r * 0.9;
      return `M${k(-a)},${k(-a)}H${k(a)}V${k(a)}H${k(-a)}Z`;
    }
    case 'diamond': {
      const a = r * 1.3;
      return `M0,${k(-a)}L${k(a * 0.8)},0L0,${k(a)}L${k(-a * 0.8)},0Z`;
    }
    case 'triangle': {
      const a = r * 1.35;
      return `M0,${k(-a)}L${k(a * 0.87)},${k(a * 0.5)}L${k(-a * 0.87)},${k(a * 0.5)}Z`;
    }
    case 'star': {
      const pts: string[] = [];
      for (let i = 0; i < 10; i++) {
        const rr = i % 2 === 0 ? r * 1.4 : r * 0.6;
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        pts.push(`${k(Math.cos(a) * rr)},${k(Math.sin(a) * rr)}`);
      }
      return `M${pts.join('L')}Z`;
    }
    case 'cross': {
      const a = r;
      const b = r * 0.35;
      return `M${k(-b)},${k(-a)}H${k(b)}V${k(-b)}H${k(a)}V${k(b)}H${k(b)}V${k(a)}H${k(-b)}V${k(b)}H${k(-a)}V${k(-b)}H${k(-b)}Z`;
    }
  }
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** Black or white, whichever reads better on `fill` (a node's glyph: ≥ 4.5:1 on every node colour). */
export function textOn(fill: string): string {
  return contrast('#000000', fill) >= contrast('#ffffff', fill) ? '#000000' : '#ffffff';
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

/** The user asked for less motion (prefers-reduced-motion): no eased transitions. */
export function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}
