import { constants, generateKeyPairSync, sign } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSignature, forgeVerifier, KeyRegistry, nativeVerifier, saltLengthOf, SIGNING_ALGORITHMS, type RegisteredKey, type SaltLength } from '../../server/signing/index.js';
import { verifyInThreadPool } from '../../server/signing/threadPoolVerify.js';
import { sharedVerifyWorker } from '../../server/signing/verifyWorker.js';
import { DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, OTHER_PRIVATE_KEY, OTHER_PUBLIC_KEY, pssSign, signers } from './helpers.js';
import { javaVectors } from './javaVectors.js';

const keys = new KeyRegistry();
const demo = keys.add('DEMO', DEMO_PUBLIC_KEY);
const other = keys.add('OTHER', OTHER_PUBLIC_KEY);

interface Row {
  name: string;
  key: RegisteredKey;
  message: string;
  signature: string;
  saltLength: SaltLength;
  expected: boolean;
}

const rows: Row[] = [];

// Every Java vector's string to sign, under both algorithms, signed by both libraries.
for (const v of javaVectors) {
  for (const algorithm of SIGNING_ALGORITHMS) {
    const message = `${algorithm}\n${v.stsHash}`;
    const salt = saltLengthOf(algorithm);
    const wrongSalt: SaltLength = salt === 20 ? 32 : 20;
    for (const signer of signers) {
      const signature = pssSign(signer, DEMO_PRIVATE_KEY, message, salt);
      rows.push({ name: `${v.name} ${algorithm} by ${signer}`, key: demo, message, signature, saltLength: salt, expected: true });
      rows.push({ name: `${v.name} ${algorithm} by ${signer}, verified with salt ${wrongSalt}`, key: demo, message, signature, saltLength: wrongSalt, expected: false });
    }
  }
}

const message = 'AMZN-PAY-RSASSA-PSS-V2\nc816195674fb8f20558493519c1296234a03b93fa4b8ba95078b4d28538e7a15';
const good = pssSign('node', DEMO_PRIVATE_KEY, message, 32);
const bytes = Buffer.from(good, 'base64');
const flipped = (i: number) => {
  const b = Buffer.from(bytes);
  b[i]! ^= 0x80;
  return b.toString('base64');
};
rows.push(
  { name: 'derived example', key: demo, message, signature: good, saltLength: 32, expected: true },
  { name: 'other key signed it', key: demo, message, signature: pssSign('forge', OTHER_PRIVATE_KEY, message, 32), saltLength: 32, expected: false },
  { name: 'checked against the other key', key: other, message, signature: good, saltLength: 32, expected: false },
  { name: 'message changed by one character', key: demo, message: message.replace(/5$/, '6'), signature: good, saltLength: 32, expected: false },
  { name: 'first byte flipped', key: demo, message, signature: flipped(0), saltLength: 32, expected: false },
  { name: 'last byte flipped (0xBC trailer area)', key: demo, message, signature: flipped(255), saltLength: 32, expected: false },
  { name: 'middle byte flipped', key: demo, message, signature: flipped(128), saltLength: 32, expected: false },
  { name: 'empty', key: demo, message, signature: '', saltLength: 32, expected: false },
  { name: 'not base64', key: demo, message, signature: '%%%%', saltLength: 32, expected: false },
  { name: 'truncated', key: demo, message, signature: good.slice(0, 200), saltLength: 32, expected: false },
  { name: 'all zeros', key: demo, message, signature: Buffer.alloc(256).toString('base64'), saltLength: 32, expected: false },
  { name: 'all ones (above the modulus)', key: demo, message, signature: Buffer.alloc(256, 0xff).toString('base64'), saltLength: 32, expected: false },
  { name: 'unpadded base64', key: demo, message, signature: good.replace(/=+$/, ''), saltLength: 32, expected: true },
);

// A modulus of 8k+1 bits: its encoded message (RFC 8017 8.1.2) is one byte shorter than the
// signature, so the signature's value as an integer must fit in that shorter length (I2OSP, step
// 2c). Such a value with a byte above the encoded message, made with the private key, is invalid:
// OpenSSL says so, and so must forge (which used to drop that byte unchecked).
const odd = oddModulusKey();
rows.push(
  { name: 'modulus of 8k+1 bits, valid', key: odd.key, message, signature: odd.valid, saltLength: 32, expected: true },
  { name: 'modulus of 8k+1 bits, a non-zero byte above the encoded message', key: odd.key, message, signature: odd.overlong, saltLength: 32, expected: false },
);

function oddModulusKey(): { key: RegisteredKey; valid: string; overlong: string } {
  const pair = generateKeyPairSync('rsa', { modulusLength: 1537 });
  const bits = pair.publicKey.asymmetricKeyDetails!.modulusLength!;
  expect(bits % 8).toBe(1);
  const jwk = pair.privateKey.export({ format: 'jwk' });
  const big = (b64url: string) => BigInt(`0x${Buffer.from(b64url, 'base64url').toString('hex')}`);
  const [n, e, d] = [big(jwk.n!), big(jwk.e!), big(jwk.d!)];
  const modPow = (base: bigint, exp: bigint) => {
    let result = 1n;
    for (let b = base % n, x = exp; x > 0n; x >>= 1n, b = (b * b) % n) if (x & 1n) result = (result * b) % n;
    return result;
  };
  const k = Math.ceil(bits / 8);
  const toBase64 = (v: bigint) => Buffer.from(v.toString(16).padStart(k * 2, '0'), 'hex').toString('base64');
  for (;;) {
    const valid = sign('sha256', Buffer.from(message), { key: pair.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }).toString('base64');
    // The encoded message, with a 1 put in the byte above it (which must be zero); below n, it has a signature.
    const m = modPow(big(Buffer.from(valid, 'base64').toString('base64url')), e) + (1n << BigInt(8 * (k - 1)));
    if (m < n) return { key: keys.add('ODD', pair.publicKey.export({ type: 'spki', format: 'pem' }) as string), valid, overlong: toBase64(modPow(m, d)) };
  }
}

// The native verifier's fallback (worker starting or failed): the thread pool, behind the same gate.
const threadPool = {
  verify(key: RegisteredKey, { message, signatureBase64, saltLength }: { message: string; signatureBase64: string; saltLength: SaltLength }) {
    const signature = decodeSignature(signatureBase64, key.modulusBytes);
    return signature ? verifyInThreadPool(key.keyObject, message, signature, saltLength) : Promise.resolve(false);
  },
};

describe('native (on its worker and in the thread pool) and forge verifiers agree', () => {
  // Until the worker is online the native verifier uses the thread pool: wait, so the rows test the worker.
  beforeAll(async () => {
    expect(await sharedVerifyWorker.whenOnline()).toBe(true);
  });

  it.each(rows)('$name -> $expected', async (row) => {
    const signed = { message: row.message, signatureBase64: row.signature, saltLength: row.saltLength };
    const before = sharedVerifyWorker.stats.fallbacks;
    const results = await Promise.all([nativeVerifier, threadPool, forgeVerifier].map((v) => v.verify(row.key, signed)));
    expect(results).toEqual([row.expected, row.expected, row.expected]);
    expect(sharedVerifyWorker.stats.fallbacks).toBe(before);
  });
});
