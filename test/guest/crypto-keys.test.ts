// The guest's key generation is seeded (bin/guest/crypto-keys.ts): crypto.subtle.generateKey and node:crypto's
// generateKey(Sync) / generateKeyPair(Sync) give the same key bytes on every run of a seed and others with
// another seed; the keys work (an Ed25519 signature verifies, two ECDH / X25519 sides agree); what OpenSSL
// randomises itself (RSA keys, RSA-OAEP, ECDSA signatures) is refused with an error saying why.
import { describe, expect, it } from 'vitest';
import '../../bin/guest/index.ts';
import { cluster, defineScenario, runScenario, type AppHandle } from '../../scenarios/api/index.ts';

function keys(seed: number): string[] {
  let app: AppHandle | null = null;
  const sc = defineScenario({
    name: 'guest-crypto-keys',
    seed,
    setup: () => cluster({ replicas: 0, sentinels: 0 }),
    script: (s) => {
      app = s.app('web-1', { host: '10.0.0.9' }, async (ctx: any) => {
        const c = await ctx.import('node:crypto');
        const { promisify } = await ctx.import('node:util');
        const subtle = globalThis.crypto.subtle;
        const hex = (b: ArrayBuffer | Uint8Array) => Buffer.from(b as ArrayBuffer).toString('hex');
        const raw = async (k: CryptoKey) => hex(await subtle.exportKey(k.type === 'private' ? 'pkcs8' : k.type === 'public' ? 'spki' : 'raw', k));
        const at = () => Date.now();
        const t0 = at();
        const hmac = (await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign'])) as CryptoKey;
        ctx.log(`hmac ${hmac.algorithm.name} ${(hmac.algorithm as any).length} ${await raw(hmac)}`);
        const aes = (await subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt', 'decrypt'])) as CryptoKey;
        ctx.log(`aes ${await raw(aes)}`);
        const ec1 = (await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair;
        const ec2 = (await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair;
        ctx.log(`ecdh ${await raw(ec1.privateKey)} ${await raw(ec1.publicKey)} ${ec1.privateKey.usages} ${ec1.publicKey.usages.length}`);
        const s12 = hex(await subtle.deriveBits({ name: 'ECDH', public: ec2.publicKey }, ec1.privateKey, 256));
        const s21 = hex(await subtle.deriveBits({ name: 'ECDH', public: ec1.publicKey }, ec2.privateKey, 256));
        ctx.log(`ecdh agree ${s12 === s21}`);
        const ed = (await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
        const sig = await subtle.sign('Ed25519', ed.privateKey, new Uint8Array([1, 2, 3]));
        ctx.log(`ed25519 ${await raw(ed.publicKey)} ${hex(sig)} ${await subtle.verify('Ed25519', ed.publicKey, sig, new Uint8Array([1, 2, 3]))} extractable=${ed.privateKey.extractable}`);
        const p384 = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-521' }, true, ['sign', 'verify'])) as CryptoKeyPair;
        ctx.log(`p521 ${await raw(p384.publicKey)}`);
        const x = c.generateKeyPairSync('x25519', { publicKeyEncoding: { type: 'spki', format: 'der' } });
        ctx.log(`node x25519 ${hex(x.publicKey)}`);
        const ecPair = await promisify(c.generateKeyPair)('ec', { namedCurve: 'secp256k1' }).catch((e: Error) => ({ refused: e.message }));
        ctx.log(`node secp256k1 ${'refused' in ecPair ? ecPair.refused : ecPair.publicKey.asymmetricKeyDetails.namedCurve}`);
        const ecP256 = await promisify(c.generateKeyPair)('ec', { namedCurve: 'P-256' });
        ctx.log(`node ec ${ecP256.publicKey.export({ format: 'jwk' }).x}`);
        ctx.log(`node hmac ${c.generateKeySync('hmac', { length: 64 }).export().toString('hex')}`);
        const cb: string = await new Promise((res) => c.generateKey('aes', { length: 128 }, (_e: unknown, k: any) => res(k.export().toString('hex'))));
        ctx.log(`node aes ${cb}`);
        for (const [what, f] of [
          ['rsa', () => subtle.generateKey({ name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign'])],
          ['ecdsa-sign', () => subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, p384.privateKey, new Uint8Array(1))],
          ['node-rsa', async () => c.generateKeyPairSync('rsa', { modulusLength: 1024 })],
        ] as const) {
          try {
            await f();
            ctx.log(`${what} not refused`);
          } catch (e: any) {
            ctx.log(`${what} refused: ${e.message}`);
          }
        }
        // Node's own argument errors
        await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 7 }, true, ['sign']).catch((e: Error) => ctx.log(`error ${e.message}`));
        ctx.log(`virtual ms spent ${at() - t0}`);
      });
      s.sleep('1s');
    },
  });
  const r = runScenario(sc);
  expect(r.status).toBe('ok');
  expect(app!.error).toBe(null);
  return r.sim.trace.records().flatMap((x) => (x.k === 'log' && x.node === app!.node ? [x.line] : []));
}

describe('guest key generation', () => {
  it('seeded: the same keys for a seed, others for another seed; the keys work; OpenSSL-random operations refused', () => {
    const a = keys(1);
    expect(a).toHaveLength(16);
    expect(a[0]).toMatch(/^hmac HMAC 512 [0-9a-f]{128}$/);
    expect(a[1]).toMatch(/^aes [0-9a-f]{32}$/);
    expect(a[2]).toMatch(/^ecdh [0-9a-f]+ 3059[0-9a-f]+ deriveBits 0$/);
    expect(a[3]).toBe('ecdh agree true');
    expect(a[4]).toMatch(/^ed25519 302a300506032b6570032100[0-9a-f]{64} [0-9a-f]{128} true extractable=false$/);
    expect(a[5]).toMatch(/^p521 30819b[0-9a-f]+$/);
    expect(a[6]).toMatch(/^node x25519 302a300506032b656e032100[0-9a-f]{64}$/);
    expect(a[7]).toBe('node secp256k1 secp256k1');
    expect(a[8]).toMatch(/^node ec [A-Za-z0-9_-]{43}$/);
    expect(a[9]).toMatch(/^node hmac [0-9a-f]{16}$/);
    expect(a[10]).toMatch(/^node aes [0-9a-f]{32}$/);
    expect(a[11]).toMatch(/^rsa refused: sentinel-sim: crypto\.subtle\.generateKey\(RSA-PSS\) draws its randomness inside OpenSSL/);
    expect(a[12]).toMatch(/^ecdsa-sign refused: sentinel-sim: crypto\.subtle\.sign\(ECDSA\)/);
    expect(a[13]).toMatch(/^node-rsa refused: sentinel-sim: generateKeyPair\('rsa'\)/);
    expect(a[14]).toBe("error The property 'algorithm.length' must be a multiple of 8. Received 7");
    // the thread pool's work lands at the instant of the call: no virtual time passes
    expect(a[15]).toBe('virtual ms spent 0');
    expect(keys(1)).toEqual(a);
    const b = keys(2);
    for (const i of [0, 1, 2, 4, 5, 6, 8, 9, 10]) expect(b[i], a[i]).not.toBe(a[i]);
  }, 180_000);
});
