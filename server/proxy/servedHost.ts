import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { amazonHostOf } from '../domain/amazonHosts.js';
import type { Region } from '../domain/types.js';
import { tunnelTargetOf } from './tunnels.js';

/**
 * The Amazon host a request was addressed to, when it was addressed to one:
 * - `connect`: through the intercepting proxy (CONNECT host:443, then TLS with a CA-issued leaf);
 * - `absolute-form`: through the plain HTTP proxy (`POST https://pay-api.amazon.eu/v2/... HTTP/1.1`,
 *   what axios and so the Node SDK send when HTTPS_PROXY is set);
 * - `host-header`: directly, with the Amazon host in `Host` (a hosts-file redirection).
 * The host decides the region (pay-api.amazon.eu → eu, static-fe… → jp).
 */
export interface ServedHost {
  host: string;
  region: Region;
  serves: 'api' | 'checkout.js';
  via: 'connect' | 'absolute-form' | 'host-header';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The Amazon host this request was addressed to (and so its region), or null for a plain local call. */
    servedHost: ServedHost | null;
  }
}

const absoluteTarget = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i;

/** The authority of an absolute-form target without its user info (`https://u@host:8443/x` → `host:8443`), or null for any other form. */
export function absoluteAuthorityOf(target: string): string | null {
  const absolute = absoluteTarget.exec(target);
  return absolute ? absolute[1]!.replace(/^[^@]*@/, '') : null;
}

/** Works out the ServedHost of a raw request: the tunnel first, then an absolute-form target, then Host. */
export function servedHostOf(raw: IncomingMessage): ServedHost | null {
  const tunnel = tunnelTargetOf(raw.socket);
  if (tunnel) return { host: tunnel.host, region: tunnel.region, serves: tunnel.serves, via: 'connect' };
  // Fastify's rewriteUrl keeps the target as sent in originalUrl.
  const authority = absoluteAuthorityOf((raw as { originalUrl?: string }).originalUrl ?? raw.url ?? '');
  if (authority !== null) {
    const found = amazonHostOf(authority);
    return found && { host: found.host, region: found.region, serves: found.serves, via: 'absolute-form' };
  }
  const host = raw.headers.host;
  const found = host ? amazonHostOf(host) : null;
  return found && { host: found.host, region: found.region, serves: found.serves, via: 'host-header' };
}

/** Sets `request.servedHost` on every request, before anything else reads it. */
export function installServedHost(app: FastifyInstance): void {
  app.decorateRequest('servedHost', null);
  app.addHook('onRequest', (request, _reply, done) => {
    request.servedHost = servedHostOf(request.raw);
    done();
  });
}
