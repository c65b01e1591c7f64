import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream';

/** Where a forwarded request goes: an origin on this machine, and the path with query as the client sent it. */
export interface ForwardTarget {
  scheme: 'http' | 'https';
  /** Lower case; an IPv6 literal keeps its brackets. */
  host: string;
  port: number;
  path: string;
}

/**
 * Fields that describe one connection rather than the message (RFC 9110 §7.6.1), and the ones
 * meant for the proxy itself: a proxy drops them in both directions.
 */
const hopByHop = new Set(['connection', 'proxy-connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authorization', 'proxy-authenticate']);

/** `headers` without the hop-by-hop fields, the fields the Connection header names, and `drop`. */
export function endToEndHeaders(headers: IncomingHttpHeaders, drop: readonly string[] = []): OutgoingHttpHeaders {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase());
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || hopByHop.has(name) || named.includes(name) || drop.includes(name)) continue;
    kept[name] = value;
  }
  return kept;
}

export interface ForwardOptions {
  /** Answers the client when the origin could not be reached; nothing has been sent to the client yet. */
  unreachable(err: NodeJS.ErrnoException): void;
  log(level: 'info' | 'warn' | 'debug', fields: Record<string, unknown>, message: string): void;
}

/**
 * Forwards `req` to an origin on this machine and streams the origin's answer back on `res`.
 * https:// origins are reached without verifying their certificate: the client gave its TLS to the
 * proxy when it sent an absolute-form request, and the origin is this machine. One connection per
 * request (no agent), so nothing outlives the exchange; a client that goes away takes the
 * upstream request with it. Never throws.
 */
export function forwardRequest(req: IncomingMessage, res: ServerResponse, target: ForwardTarget, options: ForwardOptions): void {
  let upstream: http.ClientRequest;
  try {
    const common: http.RequestOptions = {
      host: target.host.replace(/^\[(.*)\]$/, '$1'),
      port: target.port,
      method: req.method,
      path: target.path,
      // Node has already answered an `Expect: 100-continue` to the client; the origin must not wait for the body's go-ahead again.
      headers: endToEndHeaders(req.headers, ['expect']),
      agent: false,
    };
    upstream = target.scheme === 'https' ? https.request({ ...common, rejectUnauthorized: false }) : http.request(common);
  } catch (err) {
    options.unreachable(err as NodeJS.ErrnoException);
    return;
  }
  let clientGone = false;
  // The listeners keep half-closed connections open for the mock's own answers (server.ts), which
  // come within the request's own time; an origin may never answer, so a client that ends its side
  // of the connection ends the forward too.
  const clientEnded = () => {
    clientGone = true;
    upstream.destroy();
    res.destroy();
  };
  req.socket.once('end', clientEnded);
  res.once('close', () => {
    req.socket.off('end', clientEnded);
    clientGone ||= !res.writableFinished;
    upstream.destroy();
  });
  upstream.once('response', (answer) => {
    try {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage ?? '', endToEndHeaders(answer.headers));
    } catch (err) {
      options.log('debug', { err: (err as Error).message, target: `${target.host}:${target.port}` }, 'forwarded answer could not be passed on');
      res.destroy();
      upstream.destroy();
      return;
    }
    pipeline(answer, res, (err) => {
      if (err && !clientGone) options.log('debug', { err: err.message, target: `${target.host}:${target.port}` }, 'forwarded answer cut short');
    });
  });
  upstream.on('error', (err: NodeJS.ErrnoException) => {
    if (clientGone || res.writableEnded) return;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // Whatever is left of the body is read and dropped, so the client's connection stays usable.
    req.unpipe(upstream);
    req.resume();
    options.unreachable(err);
  });
  // A client that aborts while sending the body: its response closes too, which ends the upstream request.
  req.once('error', () => upstream.destroy());
  req.pipe(upstream);
}
