import { describe, expect, it } from 'vitest';
import { parseAuthorization, peekPublicKeyId } from '../../server/signing/index.js';
import { expectAmazonError } from '../helpers/amazonError.js';

const SIG = 'qj4GaaoxxTyTRhOEeEnW+/ljmDYO4QQ==';

describe('parseAuthorization', () => {
  it.each(['AMZN-PAY-RSASSA-PSS', 'AMZN-PAY-RSASSA-PSS-V2'] as const)('parses the %s form every SDK writes', (algorithm) => {
    const parsed = parseAuthorization(`${algorithm} PublicKeyId=SANDBOX-ABC123, SignedHeaders=accept;content-type;x-amz-pay-date, Signature=${SIG}`);
    expect(parsed).toEqual({
      algorithm,
      publicKeyId: 'SANDBOX-ABC123',
      signedHeaders: 'accept;content-type;x-amz-pay-date',
      signedHeaderNames: ['accept', 'content-type', 'x-amz-pay-date'],
      signature: SIG,
    });
  });

  it("keeps SignedHeaders verbatim, with the Node SDK's mixed-case caller names", () => {
    const parsed = parseAuthorization(`AMZN-PAY-RSASSA-PSS PublicKeyId=K, SignedHeaders=accept;X-Amz-Pay-Idempotency-Key;x-amz-pay-date, Signature=${SIG}`);
    expect(parsed.signedHeaders).toBe('accept;X-Amz-Pay-Idempotency-Key;x-amz-pay-date');
    expect(parsed.signedHeaderNames).toEqual(['accept', 'X-Amz-Pay-Idempotency-Key', 'x-amz-pay-date']);
  });

  it('tolerates extra whitespace around the separators', () => {
    const parsed = parseAuthorization(`  AMZN-PAY-RSASSA-PSS   PublicKeyId=K ,SignedHeaders=a;b,  Signature=${SIG}  `);
    expect(parsed.publicKeyId).toBe('K');
    expect(parsed.signature).toBe(SIG);
  });

  it('accepts an empty signature so that it fails verification (403), not parsing', () => {
    expect(parseAuthorization('AMZN-PAY-RSASSA-PSS PublicKeyId=K, SignedHeaders=a, Signature=').signature).toBe('');
  });

  it('answers 400 MissingHeader when the header is absent', () => {
    const err = expectAmazonError(() => parseAuthorization(undefined), 'MissingHeader', 400);
    expect(err.message).toBe("The request must include the header 'authorization'.");
  });

  it('answers 400 MissingHeaderValue when the header is blank', () => {
    expectAmazonError(() => parseAuthorization('   '), 'MissingHeaderValue', 400);
  });

  it.each(['AWS4-HMAC-SHA256 Credential=x', 'Bearer abc', 'amzn-pay-rsassa-pss PublicKeyId=K, SignedHeaders=a, Signature=x', 'AMZN-PAY-RSASSA-PSS-V3 PublicKeyId=K, SignedHeaders=a, Signature=x'])(
    'names the two accepted algorithms for an unknown one: %s',
    (value) => {
      const err = expectAmazonError(() => parseAuthorization(value), 'InvalidHeaderValue', 400);
      expect(err.message).toContain('AMZN-PAY-RSASSA-PSS or AMZN-PAY-RSASSA-PSS-V2');
    },
  );

  it.each([
    'AMZN-PAY-RSASSA-PSS',
    'AMZN-PAY-RSASSA-PSS PublicKeyId=K',
    'AMZN-PAY-RSASSA-PSS PublicKeyId=K, SignedHeaders=a',
    'AMZN-PAY-RSASSA-PSS SignedHeaders=a, PublicKeyId=K, Signature=x',
    'AMZN-PAY-RSASSA-PSS PublicKeyId=, SignedHeaders=a, Signature=x',
    'AMZN-PAY-RSASSA-PSS PublicKeyId=K, SignedHeaders=, Signature=x',
    'AMZN-PAY-RSASSA-PSS PublicKeyId=K, SignedHeaders=a;;b, Signature=x',
    'AMZN-PAY-RSASSA-PSS PublicKeyId=K, SignedHeaders=a;b(c), Signature=x',
    'AMZN-PAY-RSASSA-PSS PublicKeyId=K, SignedHeaders=a, Signature=x y',
  ])('answers 400 InvalidHeaderValue with the expected form for %j', (value) => {
    const err = expectAmazonError(() => parseAuthorization(value), 'InvalidHeaderValue', 400);
    expect(err.message).toContain('PublicKeyId=<publicKeyId>, SignedHeaders=<header1>;<header2>;..., Signature=<base64>');
  });
});

describe('peekPublicKeyId', () => {
  it('finds the id in a valid header', () => {
    expect(peekPublicKeyId(`AMZN-PAY-RSASSA-PSS PublicKeyId=LIVE-XYZ, SignedHeaders=a, Signature=${SIG}`)).toBe('LIVE-XYZ');
  });

  it('finds it even when the rest is malformed', () => {
    expect(peekPublicKeyId('Whatever PublicKeyId=ABC')).toBe('ABC');
  });

  it.each([undefined, '', 'Bearer token', 'PublicKeyId='])('returns null, never throws, for %j', (value) => {
    expect(peekPublicKeyId(value)).toBeNull();
  });
});
