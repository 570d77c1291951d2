// Key generation of the guest from its seeded crypto stream (crypto.ts), for Web Crypto (crypto.subtle) and
// node:crypto: a generated key's bytes come from the stream, so a run that makes keys is reproducible. Each
// call first runs Node's own generator with the same arguments (Node's checks, errors and the normalised
// algorithm, usages and extractability of the result), then imports a key of the same kind made from the
// stream's bytes: secret keys (AES, HMAC) as raw bytes; EC (P-256/384/521) and Ed/X25519, Ed/X448 from a
// seeded private scalar. Operations whose randomness OpenSSL draws itself and the simulation cannot seed —
// RSA key generation, RSA-OAEP encryption, RSA-PSS signatures with a salt, ECDSA signatures — are refused with
// an error saying so. Every crypto.subtle promise is also awaited by the runtime before a call returns (its
// work runs on libuv's thread pool), so it settles at a fixed virtual instant.
import crypto, { type KeyObject } from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { promisify } from 'node:util';

type Fill = (b: Uint8Array) => void;
type Track = <T>(p: Promise<T>) => Promise<T>;
type Alg = string | { name?: string; saltLength?: number };

/** PKCS#8 DER of an Edwards/Montgomery private key: the fixed prefix (RFC 8410 §7) and its raw bytes. */
const OKP: Record<string, { prefix: string; size: number }> = {
  ed25519: { prefix: '302e020100300506032b657004220420', size: 32 },
  x25519: { prefix: '302e020100300506032b656e04220420', size: 32 },
  ed448: { prefix: '3047020100300506032b6571043b0439', size: 57 },
  x448: { prefix: '3046020100300506032b656f043a0438', size: 56 },
};
/** Web Crypto's curve names (JWK crv) and OpenSSL's; `top` masks the scalar's first byte to the order's bit length. */
const CURVES: Record<string, { openssl: string; size: number; top: number }> = {
  'P-256': { openssl: 'prime256v1', size: 32, top: 0xff },
  'P-384': { openssl: 'secp384r1', size: 48, top: 0xff },
  'P-521': { openssl: 'secp521r1', size: 66, top: 0x01 },
  // node:crypto only
  secp256k1: { openssl: 'secp256k1', size: 32, top: 0xff },
};

export function refusal(what: string): Error {
  return new Error(
    `sentinel-sim: ${what} draws its randomness inside OpenSSL, which the simulation cannot seed, so a run would not be reproducible; import a fixed key (or use a deterministic algorithm) in the guest instead`,
  );
}

const algName = (a: Alg): string => (typeof a === 'string' ? a : String(a?.name ?? '')).toUpperCase();
const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** A private EC scalar in [1, n-1] from the stream: OpenSSL's own check rejects an out-of-range draw, which is drawn again. */
function ecPair(fill: Fill, curve: string): { d: Buffer; x: Buffer; y: Buffer } {
  const c = CURVES[curve];
  if (!c) throw new Error(`sentinel-sim: no seeded generator for curve ${curve}`);
  const ecdh = crypto.createECDH(c.openssl);
  for (;;) {
    const d = Buffer.alloc(c.size);
    fill(d);
    d[0]! &= c.top;
    try {
      ecdh.setPrivateKey(d);
    } catch {
      continue;
    }
    const pub = ecdh.getPublicKey(); // 04 || x || y
    return { d, x: pub.subarray(1, 1 + c.size), y: pub.subarray(1 + c.size) };
  }
}

function okpPrivate(fill: Fill, type: string): KeyObject {
  const o = OKP[type]!;
  const raw = Buffer.alloc(o.size);
  fill(raw);
  return crypto.createPrivateKey({ key: Buffer.concat([Buffer.from(o.prefix, 'hex'), raw]), format: 'der', type: 'pkcs8' });
}

/** Seed crypto.subtle.generateKey and refuse its randomised operations; returns what puts Node's back. */
export function seedSubtle(fill: Fill, track: Track): () => void {
  const subtle = globalThis.crypto.subtle as SubtleCrypto & Record<string, unknown>;
  const proto = Object.getPrototypeOf(subtle) as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const call = (m: string, args: unknown[]) => proto[m]!.apply(subtle, args);
  const methods = ['encrypt', 'decrypt', 'sign', 'verify', 'digest', 'generateKey', 'deriveKey', 'deriveBits', 'importKey', 'exportKey', 'wrapKey', 'unwrapKey'];

  const seededKey = async (algorithm: Alg, extractable: boolean, usages: KeyUsage[]): Promise<CryptoKey | CryptoKeyPair> => {
    const name = algName(algorithm);
    if (name.startsWith('RSA')) throw refusal(`crypto.subtle.generateKey(${name})`);
    const real = (await call('generateKey', [algorithm, extractable, usages])) as CryptoKey | CryptoKeyPair;
    if ('type' in real) {
      // a secret key (AES-*, HMAC): length in bits
      const a = real.algorithm as { name: string; length: number; hash?: { name: string } };
      const bytes = new Uint8Array(a.length / 8);
      fill(bytes);
      return (await call('importKey', ['raw', bytes, a, real.extractable, real.usages])) as CryptoKey;
    }
    const { privateKey: rp, publicKey: rq } = real;
    const a = rp.algorithm as { name: string; namedCurve?: string };
    if (a.namedCurve) {
      const { d, x, y } = ecPair(fill, a.namedCurve);
      const jwk = { kty: 'EC', crv: a.namedCurve, x: b64u(x), y: b64u(y) };
      const privateKey = (await call('importKey', ['jwk', { ...jwk, d: b64u(d) }, a, rp.extractable, rp.usages])) as CryptoKey;
      const publicKey = (await call('importKey', ['jwk', jwk, a, true, rq.usages])) as CryptoKey;
      return { privateKey, publicKey };
    }
    const type = a.name.toLowerCase();
    if (!OKP[type]) throw new Error(`sentinel-sim: no seeded generator for ${a.name} keys`);
    const priv = okpPrivate(fill, type);
    const der = priv.export({ format: 'der', type: 'pkcs8' });
    const raw = Buffer.from(crypto.createPublicKey(priv).export({ format: 'jwk' }).x!, 'base64url');
    const privateKey = (await call('importKey', ['pkcs8', der, a, rp.extractable, rp.usages])) as CryptoKey;
    const publicKey = (await call('importKey', ['raw', raw, a, true, rq.usages])) as CryptoKey;
    return { privateKey, publicKey };
  };

  const randomised = (m: string, algorithm: Alg): string | null => {
    const name = algName(algorithm);
    if ((m === 'encrypt' || m === 'wrapKey') && name === 'RSA-OAEP') return `crypto.subtle.${m}(RSA-OAEP)`;
    if (m === 'sign' && name === 'ECDSA') return 'crypto.subtle.sign(ECDSA) (its per-signature nonce)';
    if (m === 'sign' && name === 'RSA-PSS' && typeof algorithm === 'object' && (algorithm.saltLength ?? 0) > 0) return 'crypto.subtle.sign(RSA-PSS) with a salt';
    return null;
  };

  for (const m of methods) {
    const f = async (...args: unknown[]): Promise<unknown> => {
      if (m === 'generateKey') return seededKey(args[0] as Alg, args[1] as boolean, args[2] as KeyUsage[]);
      // wrapKey(format, key, wrappingKey, wrapAlgorithm): the algorithm is the last argument
      const refused = randomised(m, (m === 'wrapKey' ? args[3] : args[0]) as Alg);
      if (refused) throw refusal(refused);
      return call(m, args);
    };
    // the runtime waits for it: it settles before the call into the guest returns
    subtle[m] = (...args: unknown[]) => track(f(...args));
  }
  return () => {
    for (const m of methods) delete subtle[m];
  };
}

/** Seed node:crypto's generateKey(Sync) and generateKeyPair(Sync) (ec, ed25519, x25519, ed448, x448; rsa, dsa, dh refused). */
export function seedNodeKeys(fill: Fill): () => void {
  const mod = crypto as unknown as Record<string, unknown>;
  const real = { generateKeySync: crypto.generateKeySync, generateKeyPairSync: crypto.generateKeyPairSync };
  const saved = { generateKey: mod.generateKey, generateKeySync: mod.generateKeySync, generateKeyPair: mod.generateKeyPair, generateKeyPairSync: mod.generateKeyPairSync };

  const keySync = (type: 'hmac' | 'aes', options: { length: number }): KeyObject => {
    const k = real.generateKeySync(type, options); // Node's checks (length range, type)
    const b = Buffer.alloc(k.symmetricKeySize!);
    fill(b);
    return crypto.createSecretKey(b);
  };
  const pairSync = (type: string, options?: Record<string, unknown>): unknown => {
    if (!OKP[type] && type !== 'ec') throw refusal(`generateKeyPair('${type}')`);
    real.generateKeyPairSync(type as 'ec', options as never); // Node's checks
    let priv: KeyObject;
    if (type === 'ec') {
      const named = String(options?.namedCurve);
      const curve = Object.keys(CURVES).find((c) => c === named || CURVES[c]!.openssl === named || (named === 'secp256r1' && c === 'P-256'));
      if (!curve) throw new Error(`sentinel-sim: no seeded generator for curve ${named} (seeded: ${Object.values(CURVES).map((c) => c.openssl).join(', ')})`);
      const { d, x, y } = ecPair(fill, curve);
      priv = crypto.createPrivateKey({ key: { kty: 'EC', crv: curve, d: b64u(d), x: b64u(x), y: b64u(y) }, format: 'jwk' });
    } else priv = okpPrivate(fill, type);
    const pub = crypto.createPublicKey(priv);
    // with an encoding, the keys are exported as Node's generateKeyPairSync returns them (PEM, DER or JWK)
    const enc = (k: KeyObject, e: unknown) => (e ? k.export(e as never) : k);
    return { publicKey: enc(pub, options?.publicKeyEncoding), privateKey: enc(priv, options?.privateKeyEncoding) };
  };
  // the callback forms call back on process.nextTick (drained before the call into the guest returns)
  const later =
    (sync: (...a: never[]) => unknown, realFn: unknown, spread: boolean) =>
    (...args: unknown[]): void => {
      const cb = args[args.length - 1] as (e: Error | null, ...r: unknown[]) => void;
      if (typeof cb !== 'function') return void (realFn as (...a: unknown[]) => void)(...args); // Node's error for the callback
      let r: unknown;
      try {
        r = (sync as (...a: unknown[]) => unknown)(...args.slice(0, -1));
      } catch (e) {
        return void process.nextTick(cb, e);
      }
      if (!spread) return void process.nextTick(cb, null, r);
      const p = r as { publicKey: unknown; privateKey: unknown };
      process.nextTick(cb, null, p.publicKey, p.privateKey);
    };
  const generateKeyPair = later(pairSync, saved.generateKeyPair, true);
  // util.promisify(generateKeyPair) resolves to { publicKey, privateKey }, as Node's does
  Object.defineProperty(generateKeyPair, promisify.custom, {
    value: (...a: unknown[]) => new Promise((res, rej) => generateKeyPair(...a, (e: Error | null, publicKey: unknown, privateKey: unknown) => (e ? rej(e) : res({ publicKey, privateKey })))),
  });
  Object.assign(mod, { generateKeySync: keySync, generateKeyPairSync: pairSync, generateKey: later(keySync, saved.generateKey, false), generateKeyPair });
  syncBuiltinESMExports();
  return () => {
    Object.assign(mod, saved);
    syncBuiltinESMExports();
  };
}
