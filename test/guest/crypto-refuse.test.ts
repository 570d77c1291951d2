// node:crypto and Web Crypto operations whose randomness OpenSSL draws itself are refused in the guest with the
// simulation's error (bin/guest/crypto-refuse.ts, crypto-keys.ts), never run unseeded; their deterministic
// neighbours (no padding, PKCS#1 v1.5 and Ed25519 signatures, RSA-PSS without a salt, computeSecret,
// crypto.diffieHellman) still work — through the default export and through the ESM named exports.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import '../../bin/guest/index.ts';
import { cluster, defineScenario, runScenario, type AppHandle } from '../../scenarios/api/index.ts';

const pem = (k: crypto.KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }) as string;
const spki = (k: crypto.KeyObject) => k.export({ type: 'spki', format: 'pem' }) as string;

describe('guest crypto: unseeded OpenSSL randomness refused', () => {
  it('each randomised operation is refused with the simulation error; the deterministic ones run', () => {
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
    const params = {
      rsa: pem(rsa.privateKey),
      rsaPub: spki(rsa.publicKey),
      pss: pem(crypto.generateKeyPairSync('rsa-pss', { modulusLength: 1024 }).privateKey),
      ec: pem(crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey),
      dsa: pem(crypto.generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }).privateKey),
      ed: pem(crypto.generateKeyPairSync('ed25519').privateKey),
    };
    let app: AppHandle | null = null;
    const sc = defineScenario({
      name: 'guest-crypto-refuse',
      setup: () => cluster({ replicas: 0, sentinels: 0 }),
      script: (s) => {
        app = s.app('web-1', { host: '10.0.0.9', params }, async (ctx: any) => {
          const c = await ctx.import('node:crypto'); // the ESM namespace: named exports
          const d = c.default;
          const p = ctx.params;
          const data = Buffer.from('payload');
          const key = (k: string) => d.createPrivateKey(k);
          const cases: [string, () => unknown][] = [
            ['publicEncrypt', () => c.publicEncrypt(p.rsaPub, data)],
            ['publicEncrypt-pkcs1', () => d.publicEncrypt({ key: p.rsaPub, padding: d.constants.RSA_PKCS1_PADDING }, data)],
            ['publicEncrypt-nopad', () => d.publicEncrypt({ key: p.rsaPub, padding: d.constants.RSA_NO_PADDING }, Buffer.alloc(128, 1)).length],
            ['sign-ec', () => c.sign('sha256', data, p.ec)],
            ['sign-ec-keyobject', () => d.sign('sha256', data, key(p.ec))],
            ['createSign-ec', () => d.createSign('sha256').update(data).sign(p.ec)],
            ['sign-dsa', () => d.sign('sha256', data, p.dsa)],
            ['sign-rsa-pss-key', () => d.sign('sha256', data, p.pss)],
            ['createSign-rsa-pss-padding', () => d.createSign('sha256').update(data).sign({ key: p.rsa, padding: d.constants.RSA_PKCS1_PSS_PADDING })],
            ['sign-rsa-pss-salt0', () => d.sign('sha256', data, { key: p.rsa, padding: d.constants.RSA_PKCS1_PSS_PADDING, saltLength: 0 }).length],
            ['sign-rsa-pkcs1', () => d.createSign('sha256').update(data).sign(p.rsa).length],
            ['sign-ed25519', () => c.sign(null, data, p.ed).length],
            ['ecdh-generateKeys', () => d.createECDH('prime256v1').generateKeys()],
            [
              'ecdh-setPrivateKey',
              () => {
                const e = d.createECDH('prime256v1');
                e.setPrivateKey(Buffer.alloc(32, 7));
                return e.getPublicKey().length;
              },
            ],
            ['createDiffieHellman-length', () => c.createDiffieHellman(512)],
            ['dh-generateKeys', () => d.createDiffieHellman(d.getDiffieHellman('modp1').getPrime(), 2).generateKeys()],
            ['dh-group-generateKeys', () => d.getDiffieHellman('modp14').generateKeys()],
            ['generatePrimeSync', () => c.generatePrimeSync(32)],
            ['generatePrime', () => d.generatePrime(32, () => ctx.log('generatePrime called back'))],
            [
              'diffieHellman',
              () => {
                const a = d.generateKeyPairSync('x25519'); // seeded
                const b = d.generateKeyPairSync('x25519');
                const ab = c.diffieHellman({ privateKey: a.privateKey, publicKey: b.publicKey });
                return ab.equals(d.diffieHellman({ privateKey: b.privateKey, publicKey: a.publicKey }));
              },
            ],
          ];
          for (const [name, f] of cases) {
            try {
              ctx.log(`${name} ran ${String(f())}`);
            } catch (e: any) {
              ctx.log(`${name} ${/^sentinel-sim: .* draws its randomness inside OpenSSL/.test(e.message) ? 'refused' : `error ${e.message}`}`);
            }
          }
          const subtle = globalThis.crypto.subtle;
          const der = d.createPublicKey(p.rsaPub).export({ type: 'spki', format: 'der' });
          const oaep = await subtle.importKey('spki', der, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['encrypt']);
          await subtle.encrypt({ name: 'RSA-OAEP' }, oaep, data).then(
            () => ctx.log('subtle-oaep ran'),
            (e: Error) => ctx.log(`subtle-oaep ${e.message.startsWith('sentinel-sim:') ? 'refused' : e.message}`),
          );
          const pk = await subtle.importKey('pkcs8', key(p.rsa).export({ type: 'pkcs8', format: 'der' }), { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']);
          for (const saltLength of [32, 0]) {
            await subtle.sign({ name: 'RSA-PSS', saltLength }, pk, data).then(
              (sig: ArrayBuffer) => ctx.log(`subtle-pss-${saltLength} ran ${sig.byteLength}`),
              (e: Error) => ctx.log(`subtle-pss-${saltLength} ${e.message.startsWith('sentinel-sim:') ? 'refused' : e.message}`),
            );
          }
        });
        s.sleep('1s');
      },
    });
    const r = runScenario(sc);
    expect(r.status).toBe('ok');
    expect(app!.error).toBe(null);
    const lines = r.sim.trace.records().flatMap((x) => (x.k === 'log' && x.node === app!.node ? [x.line] : []));
    expect(lines).toEqual([
      'publicEncrypt refused',
      'publicEncrypt-pkcs1 refused',
      'publicEncrypt-nopad ran 128',
      'sign-ec refused',
      'sign-ec-keyobject refused',
      'createSign-ec refused',
      'sign-dsa refused',
      'sign-rsa-pss-key refused',
      'createSign-rsa-pss-padding refused',
      'sign-rsa-pss-salt0 ran 128',
      'sign-rsa-pkcs1 ran 128',
      'sign-ed25519 ran 64',
      'ecdh-generateKeys refused',
      'ecdh-setPrivateKey ran 65',
      'createDiffieHellman-length refused',
      'dh-generateKeys refused',
      'dh-group-generateKeys refused',
      'generatePrimeSync refused',
      'generatePrime refused',
      'diffieHellman ran true',
      'subtle-oaep refused',
      'subtle-pss-32 refused',
      'subtle-pss-0 ran 128',
    ]);
  }, 60_000);
});
