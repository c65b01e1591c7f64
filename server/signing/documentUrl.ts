import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `token` of a report document's download URL: HMAC-SHA256, keyed with the report's secret,
 * over the document id and the URL's `expires` exactly as written in it. Amazon hands out an S3
 * pre-signed URL whose signature covers its expiry ("Get Report Document", Amazon Pay API
 * reference), so the URL cannot be kept alive by editing `expires`; the secret itself never leaves
 * the mock.
 */
export function documentUrlToken(secret: string, documentId: string, expires: string): string {
  return createHmac('sha256', secret).update(`${documentId}\n${expires}`).digest('hex');
}

/** Whether `token` is the one documentUrlToken gives for this document and `expires` (constant time). */
export function documentUrlTokenMatches(secret: string, documentId: string, expires: unknown, token: unknown): boolean {
  if (typeof expires !== 'string' || typeof token !== 'string') return false;
  const expected = Buffer.from(documentUrlToken(secret, documentId, expires), 'utf8');
  const given = Buffer.from(token, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
