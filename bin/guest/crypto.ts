// The guest's randomness from `node:crypto` and Web Crypto (crypto.randomUUID, randomBytes, randomFill(Sync),
// randomInt, getRandomValues; key generation: crypto-keys.ts) comes from a seeded stream, so that a run that draws request ids or UUIDs is
// reproducible like any other. Each function first calls Node's own with the same arguments — so every
// argument check and error is Node's — then overwrites the bytes it produced with the stream's. Callback
// forms call back on process.nextTick (drained before the simulation's call returns), not on the thread pool.
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import seedrandom from 'seedrandom';
import { seedNodeKeys, seedSubtle } from './crypto-keys.ts';
import { refuseUnseeded } from './crypto-refuse.ts';

type Callback<T> = (err: Error | null, value: T) => void;

/**
 * Install the seeded functions (and the seeded key generation of crypto-keys.ts, from the same stream);
 * `track` makes the runtime wait for a crypto.subtle promise. Returns what puts Node's back.
 */
export function seedCrypto(seed: string, track: <T>(p: Promise<T>) => Promise<T>): () => void {
  const rng = seedrandom(seed);
  const fill = (b: Uint8Array): void => {
    for (let i = 0; i < b.length; i += 4) {
      const x = rng.int32();
      b[i] = x & 0xff;
      if (i + 1 < b.length) b[i + 1] = (x >>> 8) & 0xff;
      if (i + 2 < b.length) b[i + 2] = (x >>> 16) & 0xff;
      if (i + 3 < b.length) b[i + 3] = (x >>> 24) & 0xff;
    }
  };
  const bytesOf = (v: ArrayBufferView | ArrayBufferLike) => (ArrayBuffer.isView(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : new Uint8Array(v));
  // a version-4 UUID (RFC 4122 §4.4), as crypto.randomUUID formats it
  const uuid = (): string => {
    const b = new Uint8Array(16);
    fill(b);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = Buffer.from(b).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  const web = globalThis.crypto as Crypto & Record<string, unknown>;
  const mod = crypto as unknown as Record<string, unknown>;
  const real = {
    randomBytes: crypto.randomBytes,
    randomFillSync: crypto.randomFillSync,
    randomFill: crypto.randomFill,
    randomUUID: crypto.randomUUID,
    randomInt: crypto.randomInt as (min: number, max: number) => number,
    webGetRandomValues: web.getRandomValues.bind(web),
    webRandomUUID: web.randomUUID.bind(web),
  };
  const ownWeb = { getRandomValues: Object.hasOwn(web, 'getRandomValues'), randomUUID: Object.hasOwn(web, 'randomUUID') };

  function randomBytes(size: number): Buffer;
  function randomBytes(size: number, cb: Callback<Buffer>): void;
  function randomBytes(size: number, cb?: Callback<Buffer>): Buffer | void {
    const b = real.randomBytes(size); // Node's checks of size (and of cb below)
    fill(b);
    if (cb === undefined) return b;
    if (typeof cb !== 'function') return void real.randomBytes(size, cb);
    process.nextTick(cb, null, b);
  }

  // the byte range randomFillSync fills: offset and size count elements of a typed array (Node's assertOffset/assertSize)
  const fillRange = (buf: ArrayBufferView | ArrayBufferLike, offset = 0, size?: number): void => {
    const all = bytesOf(buf);
    const unit = ArrayBuffer.isView(buf) ? ((buf as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1) : 1;
    const from = offset * unit;
    const n = size === undefined ? all.length - from : size * unit;
    fill(all.subarray(from, from + n));
  };
  const randomFillSync = <T extends ArrayBufferView | ArrayBufferLike>(buf: T, offset?: number, size?: number): T => {
    real.randomFillSync(buf as never, offset, size);
    fillRange(buf, offset, size);
    return buf;
  };
  const randomFill = (buf: ArrayBufferView | ArrayBufferLike, ...rest: unknown[]): void => {
    const cb = rest[rest.length - 1];
    if (typeof cb !== 'function') return void (real.randomFill as (...a: unknown[]) => void)(buf, ...rest);
    const [offset, size] = rest.slice(0, -1) as [number | undefined, number | undefined];
    randomFillSync(buf, offset, size);
    process.nextTick(cb as Callback<unknown>, null, buf);
  };

  // Node's rejection sampling over 48-bit draws (lib/internal/crypto/random.js randomInt)
  const RAND_MAX = 0xffff_ffff_ffff;
  const randomInt = (a: number, b?: number | Callback<number>, c?: Callback<number>): number | void => {
    const [min, max, cb] = b === undefined || typeof b === 'function' ? [0, a, b] : [a, b, c];
    real.randomInt(min, max); // Node's checks
    if (cb !== undefined && typeof cb !== 'function') return void (real.randomInt as (...a: unknown[]) => void)(min, max, cb);
    const range = max - min;
    const limit = RAND_MAX - (RAND_MAX % range);
    const six = new Uint8Array(6);
    let x: number;
    do {
      fill(six);
      x = Buffer.from(six).readUIntBE(0, 6);
    } while (x >= limit);
    const n = min + (x % range);
    if (cb === undefined) return n;
    process.nextTick(cb, null, n);
  };

  const getRandomValues = <T extends ArrayBufferView | null>(a: T): T => {
    real.webGetRandomValues(a as never); // Node's checks (integer typed array, at most 65,536 bytes)
    if (a) fill(bytesOf(a));
    return a;
  };
  const randomUUID = (options?: unknown): string => {
    real.randomUUID(options as never);
    return uuid();
  };

  // crypto.getRandomValues is a fixed getter whose function calls globalThis.crypto.getRandomValues: seeded through it
  Object.assign(mod, { randomBytes, randomFillSync, randomFill, randomInt, randomUUID });
  web.getRandomValues = getRandomValues as never;
  web.randomUUID = (() => (real.webRandomUUID(), uuid())) as never;
  syncBuiltinESMExports();
  const unseedKeys = [seedSubtle(fill, track), seedNodeKeys(fill), refuseUnseeded()];
  return () => {
    for (const u of unseedKeys) u();
    Object.assign(mod, {
      randomBytes: real.randomBytes,
      randomFillSync: real.randomFillSync,
      randomFill: real.randomFill,
      randomInt: real.randomInt,
      randomUUID: real.randomUUID,
    });
    const w = web as Record<string, unknown>;
    if (ownWeb.getRandomValues) w.getRandomValues = real.webGetRandomValues;
    else delete w.getRandomValues;
    if (ownWeb.randomUUID) w.randomUUID = real.webRandomUUID;
    else delete w.randomUUID;
    syncBuiltinESMExports();
  };
}
