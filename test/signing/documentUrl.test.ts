import { describe, expect, it } from 'vitest';
import { documentUrlToken, documentUrlTokenMatches } from '../../server/signing/documentUrl.js';

describe('documentUrlToken', () => {
  const secret = '0123456789abcdef0123456789abcdef';
  const id = 'amzn1.tortuga.0.00000000-0000-0000-0000-000000000000.00000000000001';

  it('matches only the document, expires (as written) and secret it was made for', () => {
    const token = documentUrlToken(secret, id, '1700000030000');
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(token).not.toContain(secret);
    expect(documentUrlTokenMatches(secret, id, '1700000030000', token)).toBe(true);
    expect(documentUrlTokenMatches(secret, id, '1700000030001', token)).toBe(false);
    expect(documentUrlTokenMatches(secret, id, '01700000030000', token)).toBe(false);
    expect(documentUrlTokenMatches(secret, `${id}2`, '1700000030000', token)).toBe(false);
    expect(documentUrlTokenMatches('f'.repeat(32), id, '1700000030000', token)).toBe(false);
  });

  it('refuses what is not one string each (missing, repeated in the query, or too short)', () => {
    const token = documentUrlToken(secret, id, '1');
    expect(documentUrlTokenMatches(secret, id, undefined, token)).toBe(false);
    expect(documentUrlTokenMatches(secret, id, ['1', '2'], token)).toBe(false);
    expect(documentUrlTokenMatches(secret, id, '1', [token])).toBe(false);
    expect(documentUrlTokenMatches(secret, id, '1', token.slice(1))).toBe(false);
    expect(documentUrlTokenMatches(secret, id, '1', secret)).toBe(false);
  });
});
