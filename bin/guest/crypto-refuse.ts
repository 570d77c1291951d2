// node:crypto operations whose randomness OpenSSL draws itself, which the simulation cannot seed, are refused
// in the guest with crypto-keys.ts's error (never run silently unseeded): publicEncrypt with a padding
// (OAEP, PKCS#1 v1.5: random padding bytes), signatures with a per-signature nonce or salt (ECDSA, DSA,
// RSA-PSS with a salt: crypto.sign and Sign#sign), ECDH / Diffie-Hellman key generation (generateKeys),
// createDiffieHellman(primeLength) and generatePrime(Sync). Deterministic ones are left alone: privateEncrypt,
// RSA PKCS#1 v1.5 and Ed25519/Ed448 signatures, publicEncrypt with RSA_NO_PADDING, computeSecret, setPrivateKey,
// crypto.diffieHellman (it derives from the keys it is given; it generates nothing).
import crypto, { KeyObject } from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { refusal } from './crypto-keys.ts';

type Fn = (...a: unknown[]) => unknown;
const { RSA_NO_PADDING, RSA_PKCS1_PSS_PADDING } = crypto.constants;

/** The options of a key argument given in object form ({ key, padding, saltLength, … }). */
function options(key: unknown): { padding?: number; saltLength?: number } {
  return key && typeof key === 'object' && !(key instanceof KeyObject) && !ArrayBuffer.isView(key) ? (key as { padding?: number; saltLength?: number }) : {};
}

/** The asymmetric key type of a signing key in any form Node takes (KeyObject, CryptoKey, PEM, DER, JWK, { key }); null if Node would reject it. */
function keyType(key: unknown): string | null {
  try {
    if (key instanceof KeyObject) return key.asymmetricKeyType ?? null;
    if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey) return KeyObject.from(key).asymmetricKeyType ?? null;
    const inner = (key as { key?: unknown })?.key;
    if (inner instanceof KeyObject) return inner.asymmetricKeyType ?? null;
    return crypto.createPrivateKey(key as never).asymmetricKeyType ?? null;
  } catch {
    return null; // Node's own call gives its error
  }
}

/** Why signing with this key draws OpenSSL randomness (the operation named), or null if it is deterministic. */
function randomSignature(what: string, key: unknown): string | null {
  const type = keyType(key);
  const o = options(key);
  if (type === 'ec') return `${what} with an EC key (ECDSA's per-signature nonce)`;
  if (type === 'dsa') return `${what} with a DSA key (its per-signature nonce)`;
  // RSA-PSS: the salt is random unless it is empty (the default is the longest salt, RSA_PSS_SALTLEN_MAX_SIGN)
  if ((type === 'rsa-pss' || (type === 'rsa' && o.padding === RSA_PKCS1_PSS_PADDING)) && o.saltLength !== 0) return `${what} with RSA-PSS and a salt`;
  return null;
}

/** Install the refusals on node:crypto; returns what puts Node's back. */
export function refuseUnseeded(): () => void {
  const mod = crypto as unknown as Record<string, Fn>;
  const proto = (c: unknown) => (c as { prototype: Record<string, Fn> }).prototype;
  const protos: [Record<string, Fn>, string][] = [
    [proto(crypto.Sign), 'sign'],
    [proto(crypto.ECDH), 'generateKeys'],
    [proto(crypto.DiffieHellman), 'generateKeys'],
    [proto(crypto.DiffieHellmanGroup), 'generateKeys'],
  ];
  const saved = {
    mod: { publicEncrypt: mod.publicEncrypt!, sign: mod.sign!, createDiffieHellman: mod.createDiffieHellman!, generatePrime: mod.generatePrime!, generatePrimeSync: mod.generatePrimeSync! },
    protos: protos.map(([p, m]) => p[m]!),
  };

  Object.assign(mod, {
    publicEncrypt(key: unknown, buffer: unknown) {
      // the default padding is OAEP; OAEP and PKCS#1 v1.5 (type 2) both pad with random bytes
      if (options(key).padding !== RSA_NO_PADDING) throw refusal('crypto.publicEncrypt (its random padding)');
      return saved.mod.publicEncrypt(key, buffer);
    },
    sign(algorithm: unknown, data: unknown, key: unknown, cb?: unknown) {
      const why = randomSignature('crypto.sign', key);
      if (why) throw refusal(why);
      return saved.mod.sign(algorithm, data, key, ...(cb === undefined ? [] : [cb]));
    },
    createDiffieHellman(...args: unknown[]) {
      // createDiffieHellman(primeLength[, generator]) searches a random safe prime
      if (typeof args[0] === 'number') throw refusal('crypto.createDiffieHellman(primeLength) (a random prime)');
      return saved.mod.createDiffieHellman(...args);
    },
    generatePrime() {
      throw refusal('crypto.generatePrime');
    },
    generatePrimeSync() {
      throw refusal('crypto.generatePrimeSync');
    },
  });
  const [signProto, ecdhProto, dhProto, groupProto] = protos.map(([p]) => p) as Record<string, Fn>[];
  const realSign = saved.protos[0]!;
  signProto!.sign = function (this: unknown, key: unknown, encoding?: unknown) {
    const why = randomSignature('Sign#sign', key);
    if (why) throw refusal(why);
    return realSign.call(this, key, encoding);
  };
  ecdhProto!.generateKeys = () => {
    throw refusal('ECDH#generateKeys (set a fixed private key with setPrivateKey instead)');
  };
  dhProto!.generateKeys = groupProto!.generateKeys = () => {
    throw refusal('DiffieHellman#generateKeys (set a fixed private key with setPrivateKey instead)');
  };
  syncBuiltinESMExports();
  return () => {
    Object.assign(mod, saved.mod);
    protos.forEach(([p, m], i) => (p[m] = saved.protos[i]!));
    syncBuiltinESMExports();
  };
}
