// LOLWUT of Redis 7.0.15 (lolwut.c, lolwut5.c, lolwut6.c). 7.0 has no art of its own: plain LOLWUT
// answers "Redis ver. 7.0.15". VERSION 5 draws Georg Nees' "Schotter" in braille characters, VERSION 6
// a skyline in ANSI colours. Their libc rand() calls draw from the server's seeded command stream, so
// the art is deterministic per seed (and, as in Redis, Schotter with at most 2 rows of squares uses no
// randomness at all).
import { err, verbatim, type Reply } from '../../net/resp.ts';
import type { Rng } from '../../sim/rng.ts';
import { cmd } from '../server/cmdutil.ts';
import type { CommandContext, CommandSpec } from './context.ts';
import { ERR_NOT_INT, parseInt64 } from './util.ts';

const VERSION = '7.0.15';
const RAND_MAX = 2147483647;
const f32 = Math.fround;

class Canvas {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    bg: number,
  ) {
    this.pixels = new Uint8Array(width * height).fill(bg);
  }
  set(x: number, y: number, color: number): void {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return;
    this.pixels[x + y * this.width] = color;
  }
  get(x: number, y: number): number {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return 0;
    return this.pixels[x + y * this.width]!;
  }
  /** lwDrawLine: Bresenham. */
  line(x1: number, y1: number, x2: number, y2: number, color: number): void {
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1;
    const sy = y1 < y2 ? 1 : -1;
    let e = dx - dy;
    for (;;) {
      this.set(x1, y1, color);
      if (x1 === x2 && y1 === y2) break;
      const e2 = e * 2;
      if (e2 > -dy) {
        e -= dy;
        x1 += sx;
      }
      if (e2 < dx) {
        e += dx;
        y1 += sy;
      }
    }
  }
  /** lwDrawSquare: a square inscribed in a circle of radius `size`, rotated by `angle` (C floats). */
  square(x: number, y: number, size: number, angle: number, color: number): void {
    let s = f32(size / 1.4142135623);
    s = f32(Math.round(s));
    const px: number[] = [];
    const py: number[] = [];
    let k = f32(Math.PI / 4 + angle);
    for (let j = 0; j < 4; j++) {
      px.push(cRound(Math.sin(k) * s + x));
      py.push(cRound(Math.cos(k) * s + y));
      k = f32(k + Math.PI / 2);
    }
    for (let j = 0; j < 4; j++) this.line(px[j]!, py[j]!, px[(j + 1) % 4]!, py[(j + 1) % 4]!, color);
  }
}

/** C round(): halves away from zero. */
function cRound(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/** rand(): 0..RAND_MAX from the seeded stream. */
const rand = (rng: Rng): number => rng.int(0, RAND_MAX);

function schotter(rng: Rng, cols: number, perRow: number, perCol: number): Canvas {
  const width = cols * 2;
  const padding = width > 4 ? 2 : 0;
  const side = f32((width - padding * 2) / perRow);
  const height = Math.trunc(f32(side * perCol + padding * 2));
  const canvas = new Canvas(width, height, 0);
  for (let y = 0; y < perCol; y++) {
    for (let x = 0; x < perRow; x++) {
      let sx = Math.trunc(f32(f32(f32(x * side) + f32(side / 2)) + padding));
      let sy = Math.trunc(f32(f32(f32(y * side) + f32(side / 2)) + padding));
      let angle = 0;
      if (y > 1) {
        let r1 = f32(f32(f32(f32(rand(rng)) / f32(RAND_MAX)) / perCol) * y);
        let r2 = f32(f32(f32(f32(rand(rng)) / f32(RAND_MAX)) / perCol) * y);
        let r3 = f32(f32(f32(f32(rand(rng)) / f32(RAND_MAX)) / perCol) * y);
        if (rand(rng) % 2) r1 = -r1;
        if (rand(rng) % 2) r2 = -r2;
        if (rand(rng) % 2) r3 = -r3;
        angle = r1;
        sx = Math.trunc(f32(sx + f32(f32(r2 * side) / 3)));
        sy = Math.trunc(f32(sy + f32(f32(r3 * side) / 3)));
      }
      canvas.square(sx, sy, side, angle, 1);
    }
  }
  return canvas;
}

/** Braille: 2x4 pixels per character (U+2800 + bit pattern). */
function renderBraille(c: Canvas): string {
  let out = '';
  for (let y = 0; y < c.height; y += 4) {
    for (let x = 0; x < c.width; x += 2) {
      let b = 0;
      if (c.get(x, y)) b |= 1;
      if (c.get(x, y + 1)) b |= 2;
      if (c.get(x, y + 2)) b |= 4;
      if (c.get(x + 1, y)) b |= 8;
      if (c.get(x + 1, y + 1)) b |= 16;
      if (c.get(x + 1, y + 2)) b |= 32;
      if (c.get(x, y + 3)) b |= 64;
      if (c.get(x + 1, y + 3)) b |= 128;
      const code = 0x2800 + b;
      // UTF-8 bytes as a latin1 byte string (replies carry bytes)
      out += String.fromCharCode(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    }
    if (y !== c.height - 1) out += '\n';
  }
  return out;
}

const COLORS = ['0;30;40m', '0;90;100m', '0;37;47m', '0;97;107m'];

function renderAnsi(c: Canvas): string {
  let out = '';
  for (let y = 0; y < c.height; y++) {
    for (let x = 0; x < c.width; x++) out += `\x1b[${COLORS[c.get(x, y)] ?? COLORS[0]} \x1b[0m`;
    if (y !== c.height - 1) out += '\n';
  }
  return out;
}

interface Skyscraper {
  xoff: number;
  width: number;
  height: number;
  windows: boolean;
  color: number;
}

function skyscraper(rng: Rng, c: Canvas, si: Skyscraper): void {
  const starty = c.height - 1;
  const endy = starty - si.height + 1;
  for (let y = starty; y >= endy; y--) {
    for (let x = si.xoff; x < si.xoff + si.width; x++) {
      if (y === endy && (x <= si.xoff + 1 || x >= si.xoff + si.width - 2)) continue;
      let color = si.color;
      if (si.windows && x > si.xoff + 1 && x < si.xoff + si.width - 2 && y > endy + 1 && y < starty - 1) {
        const relx = x - (si.xoff + 1);
        const rely = y - (endy + 1);
        if (Math.trunc(relx / 2) % 2 && rely % 2) {
          do color = 1 + (rand(rng) % 2);
          while (color === si.color);
          if (relx % 2) color = c.get(x - 1, y);
        }
      }
      c.set(x, y, color);
    }
  }
}

function skyline(rng: Rng, c: Canvas): void {
  const si: Skyscraper = { xoff: 0, width: 0, height: 0, windows: false, color: 0 };
  for (let color = 2; color >= 1; color--) {
    si.color = color;
    for (let offset = -10; offset < c.width; ) {
      offset += rand(rng) % 8;
      si.xoff = offset;
      si.width = 10 + (rand(rng) % 9);
      // rand()%height/2: the modulo first, as C parses it
      si.height = Math.trunc(c.height / 2) + Math.trunc((rand(rng) % c.height) / (color === 2 ? 2 : 3));
      si.windows = false;
      skyscraper(rng, c, si);
      offset += color === 2 ? Math.trunc(si.width / 2) : si.width + 1;
    }
  }
  si.color = 0;
  for (let offset = -10; offset < c.width; ) {
    offset += rand(rng) % 8;
    si.xoff = offset;
    si.width = 5 + (rand(rng) % 14);
    if (si.width % 4) si.width += si.width % 3;
    si.height = Math.trunc(c.height / 3) + Math.trunc((rand(rng) % c.height) / 2);
    si.windows = true;
    skyscraper(rng, c, si);
    offset += si.width + 5;
  }
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** getLongFromObjectOrReply for each optional numeric argument. */
function longs(args: readonly string[], defaults: number[]): number[] | null {
  const out = [...defaults];
  for (let i = 0; i < defaults.length && i < args.length; i++) {
    const v = parseInt64(args[i]!);
    if (v === null) return null;
    out[i] = v > 1000000n ? 1000000 : v < -1000000n ? -1000000 : Number(v);
  }
  return out;
}

function lolwut(ctx: CommandContext): Reply {
  let args = ctx.argv.slice(1);
  let ver = 7;
  if (ctx.argv.length >= 3 && ctx.argv[1]!.toLowerCase() === 'version') {
    const v = parseInt64(ctx.argv[2]!);
    if (v === null) return err(ERR_NOT_INT);
    ver = Number(BigInt.asUintN(32, v)); // "%u.0.0" of (unsigned int)ver
    args = ctx.argv.slice(3);
  }
  if (ver === 5) {
    const n = longs(args, [66, 8, 12]);
    if (!n) return err(ERR_NOT_INT);
    const canvas = schotter(ctx.rng, clamp(n[0]!, 1, 1000), clamp(n[1]!, 1, 200), clamp(n[2]!, 1, 200));
    return verbatim(`${renderBraille(canvas)}\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ${VERSION}\n`);
  }
  if (ver === 6) {
    const n = longs(args, [80, 20]);
    if (!n) return err(ERR_NOT_INT);
    const canvas = new Canvas(clamp(n[0]!, 1, 1000), clamp(n[1]!, 1, 1000), 3);
    skyline(ctx.rng, canvas);
    return verbatim(
      `${renderAnsi(canvas)}\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. Redis ver. ${VERSION}\n`,
    );
  }
  return verbatim(`Redis ver. ${VERSION}\n`);
}

export const lolwutCommands: CommandSpec[] = [
  (() => {
    const s = cmd('lolwut', -1, ['readonly', 'fast'], 'server', '5.0.0', 'Display some computer art and the Redis version', lolwut);
    s.meta = { args: [{ name: 'version', type: 'integer', token: 'VERSION', flags: ['optional'] }] };
    return s;
  })(),
];
