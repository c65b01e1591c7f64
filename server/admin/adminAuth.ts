import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { apiError } from '../domain/errors.js';

/** Control routes anyone may call: the health check, and what IPN receivers fetch. */
const open = new Set(['/__admin/health', '/__admin/ipn/signing-cert.pem', '/__admin/ipn/unsubscribe']);

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * With a configured token, every control route but the open ones needs
 * `Authorization: Bearer <token>`; otherwise 401 UnauthorizedAccess. Compared in constant time.
 */
export function requireAdminToken(app: FastifyInstance, token: string | null): void {
  if (token === null) return;
  const expected = digest(`Bearer ${token}`);
  app.addHook('onRequest', async (request) => {
    // The router serves one trailing slash too; the open set must not depend on it.
    const path = (request.raw.url ?? '').split('?')[0]!.replace(/(.)\/$/, '$1');
    if (!path.startsWith('/__admin/') || open.has(path)) return;
    const given = request.headers.authorization;
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      throw apiError('UnauthorizedAccess', 'The control API needs the header Authorization: Bearer <token> (the --admin-token setting).');
    }
  });
}
