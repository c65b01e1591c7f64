import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { apiError } from '../domain/errors.js';
import { isCrossSite, isUiPath, LOGIN_PATH, uiCredential } from './ui/uiAuth.js';

/** Control routes anyone may call: the health check, what IPN receivers fetch, and the CA clients trust. */
const open = new Set(['/__admin/health', '/__admin/ipn/signing-cert.pem', '/__admin/ipn/unsubscribe', '/__admin/ca.pem', LOGIN_PATH]);

const digest = (text: string) => createHash('sha256').update(text).digest();

/** True for a route of the control API, judged by the route pattern the router matched. */
export function isControlRoute(routeUrl: string | undefined): boolean {
  return routeUrl !== undefined && (routeUrl === '/__admin' || routeUrl.startsWith('/__admin/'));
}

/**
 * With a configured token, every control route but the open ones needs
 * `Authorization: Bearer <token>`; otherwise 401 UnauthorizedAccess. Compared in constant time.
 *
 * The decision is made on the route that matched, never on the URL text: the router decodes
 * percent-escapes (`/%5F%5Fadmin/reset` reaches the `/__admin/reset` handler), so a check on the
 * raw URL could be walked around. With or without a token, state-changing control calls a browser
 * sends from another site are refused (see refuseCrossSiteWrites).
 */
export function requireAdminToken(app: FastifyInstance, token: string | null): void {
  refuseCrossSiteWrites(app);
  if (token === null) return;
  const expected = digest(`Bearer ${token}`);
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    if (!isControlRoute(route) || open.has(route!)) return;
    // The dashboard's pages may carry the token in its login cookie instead (they answer the 401 as a page).
    const given = request.headers.authorization ?? (isUiPath(route!) ? uiCredential(request) : undefined);
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      throw apiError('UnauthorizedAccess', 'The control API needs the header Authorization: Bearer <token> (the --admin-token setting).');
    }
  });
}

/**
 * A browser page on any site can send a "simple" POST or DELETE (a text/plain body, no custom
 * header) to a mock on loopback without any CORS permission, and without a token nothing would stop
 * it resetting state, moving the clock or registering keys. Browsers say where a request comes
 * from (Sec-Fetch-Site, or Origin); test code and SDKs send neither. So a control route that
 * changes state refuses a request from another site: 401 UnauthorizedAccess, nothing run. The
 * dashboard's forms make the same check themselves and answer it with a page.
 */
function refuseCrossSiteWrites(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    // Cheapest first: every API call passes through here, and SDKs send neither header.
    if (request.method === 'GET' || request.method === 'HEAD' || !isCrossSite(request)) return done();
    const route = request.routeOptions.url;
    if (!isControlRoute(route) || isUiPath(route!)) return done();
    done(apiError('UnauthorizedAccess', 'The control API does not take requests a browser sends from another site; call it from test code (no Origin header) or use the dashboard at /__admin/ui.'));
  });
}
