import type { IncomingMessage, ServerResponse } from 'node:http';
import { originForm } from '../api/rawUrl.js';
import { amazonHostOf } from '../domain/amazonHosts.js';
import { apiError } from '../domain/errors.js';
import type { ReasonCode } from '../domain/reasonCodes.js';
import { isLoopback } from '../loopback.js';
import { forwardRequest, type ForwardTarget } from './forwardRequest.js';
import { targetNotServedMessage, unreachableMessage } from './refusals.js';
import { absoluteAuthorityOf } from './servedHost.js';

/** What the proxy does with a request whose target is in absolute form (`GET http://host:port/path HTTP/1.1`). */
export type AbsoluteFormDecision =
  | { action: 'serve' }
  | { action: 'forward'; target: ForwardTarget }
  | { action: 'refuse'; reasonCode: Extract<ReasonCode, 'ProxyTargetNotServed' | 'InvalidRequest'>; message: string };

const serve: AbsoluteFormDecision = { action: 'serve' };

const defaultPorts: Readonly<Record<string, number>> = { http: 80, https: 443 };

/** A DNS name, IPv4 address or bracketed IPv6 address, then an optional port (RFC 3986 allows an empty one). */
const hostAndPort = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{0,5}))?$/i;

/**
 * Decides a request target the way CONNECT decides its target: origin form and Amazon hosts are
 * the app's (servedHostOf gives the region); a target on the port the request arrived on is the
 * mock itself, whatever name the client used for it (`http://mock:8080` in Docker); a loopback
 * target is forwarded when passthrough allows it; anything else is refused.
 */
export function absoluteFormDecision(target: string, listenerPort: number | undefined, passthrough: 'none' | 'loopback'): AbsoluteFormDecision {
  const authority = absoluteAuthorityOf(target);
  if (authority === null || amazonHostOf(authority)) return serve;
  const scheme = target.slice(0, target.indexOf(':')).toLowerCase();
  const parsed = hostAndPort.exec(authority);
  const port = parsed?.[2] ? Number(parsed[2]) : defaultPorts[scheme];
  if (!parsed || (scheme !== 'http' && scheme !== 'https') || port === undefined || port < 1 || port > 65535) {
    return {
      action: 'refuse',
      reasonCode: 'InvalidRequest',
      message: `A request in absolute form needs a target of the form http://host[:port]/path or https://host[:port]/path, got ${JSON.stringify(target.slice(0, 200))}.`,
    };
  }
  if (port === listenerPort) return serve;
  const host = parsed[1]!.toLowerCase();
  if (passthrough === 'loopback' && isLoopback(host)) return { action: 'forward', target: { scheme, host, port, path: originForm(target) } };
  return { action: 'refuse', reasonCode: 'ProxyTargetNotServed', message: targetNotServedMessage({ host, port, shown: `${host}:${port}` }, passthrough) };
}

/** What the proxy step needs from the server around it. */
export interface AbsoluteFormOptions {
  /** `loopback`: forward requests for this machine's addresses; `none`: refuse them too. */
  passthrough: 'none' | 'loopback';
  requestId(): string;
  log(level: 'info' | 'warn' | 'debug', fields: Record<string, unknown>, message: string): void;
}

/**
 * The proxy step of the listeners' request handler: a request in absolute form for a target the
 * mock is not is refused (403 ProxyTargetNotServed, like CONNECT) or, for a loopback target with
 * passthrough on, forwarded; the step then returns true. It returns false for everything the app
 * serves itself. Never throws.
 */
export function absoluteFormHandler(options: AbsoluteFormOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const target = req.url ?? '/';
    // Origin form, nearly every request, costs one comparison.
    if (target.startsWith('/')) return false;
    const decision = absoluteFormDecision(target, req.socket.localPort, options.passthrough);
    switch (decision.action) {
      case 'serve':
        return false;
      case 'forward': {
        const { host, port } = decision.target;
        options.log('debug', { method: req.method, target: target.slice(0, 200) }, 'proxy request forwarded');
        forwardRequest(req, res, decision.target, {
          unreachable: (err) => answer(res, 'ServiceUnavailable', unreachableMessage(host, port, err), options),
          log: options.log,
        });
        return true;
      }
      case 'refuse':
        answer(res, decision.reasonCode, decision.message, options);
        return true;
    }
  };
}

/** Answers with an Amazon-shaped error (status from the catalog) and a request id, and logs it as CONNECT refusals are logged. */
function answer(res: ServerResponse, reasonCode: ReasonCode, message: string, options: AbsoluteFormOptions): void {
  const error = apiError(reasonCode, message);
  options.log('info', { status: error.status, reasonCode }, `proxy request refused: ${message}`);
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify(error.toBody());
  res.writeHead(error.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-amz-pay-request-id': options.requestId() });
  res.end(body);
}
