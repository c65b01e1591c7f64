import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AmazonPayError } from '../../server/domain/errors.js';
import { buttonStringToSign, stripcslashes, verifyButtonSignature } from '../../server/signing/buttonSignature.js';
import { KeyRegistry } from '../../server/signing/keyRegistry.js';
import { nativeVerifier } from '../../server/signing/nativeVerifier.js';
import { forgeVerifier } from '../../server/signing/forgeVerifier.js';
import { AmazonPay } from '../helpers/runningServer.js';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { packagePath } from '../../server/config.js';

const keys = new KeyRegistry();
keys.loadDir(packagePath('fixtures/keys'));
const payload = JSON.stringify({ storeId: 'amzn1.application-oa2-client.0123456789abcdef', webCheckoutDetails: { checkoutReviewReturnUrl: 'https://shop.example/review' } });

/** The official Node SDK's generateButtonSignature, as a merchant's server calls it. */
function sdkSignature(body: string, algorithm: 'AMZN-PAY-RSASSA-PSS' | 'AMZN-PAY-RSASSA-PSS-V2', privateKey = demoPrivateKey): string {
  const client = new AmazonPay.WebStoreClient({ publicKeyId: demoKeyIds.sandbox, privateKey, region: 'us', sandbox: true, algorithm });
  return client.generateButtonSignature(body);
}

async function refusal(promise: Promise<unknown>): Promise<AmazonPayError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AmazonPayError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('button signatures', () => {
  it('builds the string to sign from the algorithm and the hex SHA-256 of the payload (the PHP SDK vector)', () => {
    const vector = '{"storeId":"amzn1.application-oa2-client.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","webCheckoutDetails":{"checkoutReviewReturnUrl":"https://localhost/test/CheckoutReview.php","checkoutResultReturnUrl":"https://localhost/test/CheckoutResult.php"}}';
    expect(buttonStringToSign('AMZN-PAY-RSASSA-PSS-V2', vector)).toBe('AMZN-PAY-RSASSA-PSS-V2\n8dec52d799607be40f82d5c8e7ecb6c171e6591c41b1111a576b16076c89381c');
  });

  for (const verifier of [nativeVerifier, forgeVerifier]) {
    for (const algorithm of ['AMZN-PAY-RSASSA-PSS', 'AMZN-PAY-RSASSA-PSS-V2'] as const) {
      it(`accepts the Node SDK's generateButtonSignature with ${algorithm} (${verifier.name})`, async () => {
        const verified = await verifyButtonSignature({ payloadJSON: payload, signature: sdkSignature(payload, algorithm), publicKeyId: demoKeyIds.sandbox, algorithm }, { keys, verifier });
        expect(verified).toMatchObject({ algorithm, keyEnvironment: 'sandbox', stringToSign: buttonStringToSign(algorithm, payload) });
      });
    }
  }

  it('reads a missing algorithm as the original one, so a V2 signature then fails on its salt', async () => {
    const v1 = sdkSignature(payload, 'AMZN-PAY-RSASSA-PSS');
    expect((await verifyButtonSignature({ payloadJSON: payload, signature: v1, publicKeyId: demoKeyIds.sandbox }, { keys, verifier: nativeVerifier })).algorithm).toBe('AMZN-PAY-RSASSA-PSS');
    // Same hash line, other salt length: refused.
    const v2 = sdkSignature(payload, 'AMZN-PAY-RSASSA-PSS-V2');
    const err = await refusal(verifyButtonSignature({ payloadJSON: payload, signature: v2, publicKeyId: demoKeyIds.sandbox, algorithm: 'AMZN-PAY-RSASSA-PSS' }, { keys, verifier: nativeVerifier }));
    expect(err.reasonCode).toBe('InvalidRequestSignature');
  });

  it('refuses a tampered payload with 403 and keeps the payload and the string it computed for the journal', async () => {
    const signature = sdkSignature(payload, 'AMZN-PAY-RSASSA-PSS-V2');
    const tampered = payload.replace('review', 'elsewhere');
    const err = await refusal(verifyButtonSignature({ payloadJSON: tampered, signature, publicKeyId: demoKeyIds.sandbox, algorithm: 'AMZN-PAY-RSASSA-PSS-V2' }, { keys, verifier: nativeVerifier }));
    expect(err.status).toBe(403);
    expect(err.message).toContain(buttonStringToSign('AMZN-PAY-RSASSA-PSS-V2', tampered));
    expect(err.diagnostics).toEqual({ canonicalRequest: tampered, stringToSign: buttonStringToSign('AMZN-PAY-RSASSA-PSS-V2', tampered) });
  });

  it('refuses a signature made with another private key, an unknown key id and an unknown algorithm', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const signature = sdkSignature(payload, 'AMZN-PAY-RSASSA-PSS-V2', other);
    expect((await refusal(verifyButtonSignature({ payloadJSON: payload, signature, publicKeyId: demoKeyIds.sandbox, algorithm: 'AMZN-PAY-RSASSA-PSS-V2' }, { keys, verifier: nativeVerifier }))).reasonCode).toBe('InvalidRequestSignature');
    expect((await refusal(verifyButtonSignature({ payloadJSON: payload, signature, publicKeyId: 'SANDBOX-NOBODY', algorithm: 'AMZN-PAY-RSASSA-PSS-V2' }, { keys, verifier: nativeVerifier }))).reasonCode).toBe('UnauthorizedAccess');
    expect((await refusal(verifyButtonSignature({ payloadJSON: payload, signature, publicKeyId: demoKeyIds.sandbox, algorithm: 'RSA-SHA1' }, { keys, verifier: nativeVerifier }))).reasonCode).toBe('InvalidParameterValue');
  });

  it('accepts what the PHP SDK signs: the payload after stripcslashes, sent with json_encode\'s escaped slashes', async () => {
    const escaped = payload.replace(/\//g, '\\/');
    expect(stripcslashes(escaped)).toBe(payload);
    const signature = sdkSignature(payload, 'AMZN-PAY-RSASSA-PSS-V2'); // what PHP hashes
    expect((await verifyButtonSignature({ payloadJSON: escaped, signature, publicKeyId: demoKeyIds.sandbox, algorithm: 'AMZN-PAY-RSASSA-PSS-V2' }, { keys, verifier: nativeVerifier })).stringToSign).toBe(buttonStringToSign('AMZN-PAY-RSASSA-PSS-V2', payload));
    expect(stripcslashes('a\\nb\\x41\\101\\\\')).toBe('a\nbAA\\');
  });
});
