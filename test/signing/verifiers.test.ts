import { describe, expect, it } from 'vitest';
import { createVerifier, forgeVerifier, KeyRegistry, nativeVerifier } from '../../server/signing/index.js';
import { DEMO_PUBLIC_KEY, OTHER_PUBLIC_KEY, pssSign, DEMO_PRIVATE_KEY, signers, verifiers } from './helpers.js';

const keys = new KeyRegistry();
const demo = keys.add('DEMO', DEMO_PUBLIC_KEY);
const other = keys.add('OTHER', OTHER_PUBLIC_KEY);
const MESSAGE = 'AMZN-PAY-RSASSA-PSS\nbb49552975c396f1e49d5510e1555b8b0627dc491bc61aaefdb561f202ad8020';

describe.each(verifiers)('%s verifier', (_name, verifier) => {
  describe.each(signers)('with a signature made by %s', (signer) => {
    it.each([20, 32] as const)('accepts a PSS signature with salt %i', async (salt) => {
      expect(await verifier.verify(demo, { message: MESSAGE, signatureBase64: pssSign(signer, DEMO_PRIVATE_KEY, MESSAGE, salt), saltLength: salt })).toBe(true);
    });

    it('rejects the wrong salt length in either direction', async () => {
      expect(await verifier.verify(demo, { message: MESSAGE, signatureBase64: pssSign(signer, DEMO_PRIVATE_KEY, MESSAGE, 20), saltLength: 32 })).toBe(false);
      expect(await verifier.verify(demo, { message: MESSAGE, signatureBase64: pssSign(signer, DEMO_PRIVATE_KEY, MESSAGE, 32), saltLength: 20 })).toBe(false);
    });

    it('rejects a signature of a different message', async () => {
      expect(await verifier.verify(demo, { message: `${MESSAGE}0`, signatureBase64: pssSign(signer, DEMO_PRIVATE_KEY, MESSAGE, 20), saltLength: 20 })).toBe(false);
    });

    it('rejects a signature checked against a different key', async () => {
      expect(await verifier.verify(other, { message: MESSAGE, signatureBase64: pssSign(signer, DEMO_PRIVATE_KEY, MESSAGE, 20), saltLength: 20 })).toBe(false);
    });
  });

  const good = pssSign('node', DEMO_PRIVATE_KEY, MESSAGE, 20);
  const malformed: [string, string][] = [
    ['empty', ''],
    ['not base64', 'not base64 at all!'],
    ['base64url alphabet', good.replace(/\+/g, '-').replace(/\//g, '_')],
    ['truncated', good.slice(0, 100)],
    ['one byte short', Buffer.from(good, 'base64').subarray(1).toString('base64')],
    ['one byte long', Buffer.concat([Buffer.from(good, 'base64'), Buffer.from([0])]).toString('base64')],
    ['all zero bytes', Buffer.alloc(256).toString('base64')],
    ['larger than the modulus', Buffer.alloc(256, 0xff).toString('base64')],
    ['random bytes', Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 37 + 11) & 0xff)).toString('base64')],
    ['one bit flipped', (() => { const b = Buffer.from(good, 'base64'); b[10]! ^= 1; return b.toString('base64'); })()],
    ['trailing garbage', `${good}AAAA`],
    ['embedded newline', `${good.slice(0, 50)}\n${good.slice(50)}`],
  ];
  it.each(malformed)('returns false, never throws, for a %s signature', async (_what, signature) => {
    await expect(verifier.verify(demo, { message: MESSAGE, signatureBase64: signature, saltLength: 20 })).resolves.toBe(false);
    expect(await verifier.verify(demo, { message: MESSAGE, signatureBase64: signature, saltLength: 32 })).toBe(false);
  });

  it('answers each of many verifications in flight at once with its own result', async () => {
    const valid = pssSign('node', DEMO_PRIVATE_KEY, MESSAGE, 32);
    const expected = Array.from({ length: 40 }, (_, i) => i % 3 !== 0);
    const results = await Promise.all(expected.map((ok, i) => verifier.verify(ok ? demo : other, { message: MESSAGE, signatureBase64: valid, saltLength: i % 2 === 0 && !ok ? 20 : 32 })));
    expect(results).toEqual(expected);
  });

  it('accepts the signature without its base64 padding', async () => {
    const sig = pssSign('node', DEMO_PRIVATE_KEY, MESSAGE, 20);
    expect(sig.endsWith('==')).toBe(true); // 256 bytes
    expect(await verifier.verify(demo, { message: MESSAGE, signatureBase64: sig.replace(/=+$/, ''), saltLength: 20 })).toBe(true);
  });
});

describe('createVerifier', () => {
  it('returns the verifier named in the config', () => {
    expect(createVerifier('native')).toBe(nativeVerifier);
    expect(createVerifier('forge')).toBe(forgeVerifier);
    expect(createVerifier('native').name).toBe('native');
    expect(createVerifier('forge').name).toBe('forge');
  });
});
