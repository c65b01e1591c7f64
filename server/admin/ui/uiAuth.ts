import type { FastifyRequest } from 'fastify';

/**
 * How a browser carries the admin token: it cannot send `Authorization: Bearer` on a link or a
 * form, so the login page stores the token in an HttpOnly, SameSite=Strict cookie scoped to the
 * dashboard, and the token check reads it there for dashboard paths only.
 */

export const UI_PREFIX = '/__admin/ui';
export const LOGIN_PATH = '/__admin/ui/login';
const COOKIE = 'apm_admin_token';

/** True for the dashboard's own paths (the token may come from its cookie there). */
export function isUiPath(path: string): boolean {
  return path === UI_PREFIX || path.startsWith(`${UI_PREFIX}/`);
}

/** `Bearer <token>` from the dashboard cookie, or undefined. */
export function uiCredential(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== COOKIE) continue;
    try {
      return `Bearer ${decodeURIComponent(part.slice(eq + 1).trim())}`;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The Set-Cookie value that signs a browser in (or out, with null); Secure when the page came over https. */
export function uiCookie(token: string | null, protocol: string): string {
  const attributes = `Path=${UI_PREFIX}; HttpOnly; SameSite=Strict${protocol === 'https' ? '; Secure' : ''}`;
  return token === null ? `${COOKIE}=; Max-Age=0; ${attributes}` : `${COOKIE}=${encodeURIComponent(token)}; ${attributes}`;
}

/**
 * Refuses a dashboard form posted from another site: a page elsewhere could otherwise move the
 * clock or approve sessions on a mock that runs without a token. Browsers say where a request
 * comes from in Sec-Fetch-Site, or at least Origin.
 */
export function isCrossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}
