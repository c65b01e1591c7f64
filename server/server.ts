import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { GivenDeps } from './appDeps.js';
import { answerClientError, answerExpectation } from './clientErrors.js';
import type { Config } from './config.js';
import type { Duplex } from 'node:stream';
import { absoluteFormHandler } from './proxy/absoluteForm.js';
import { connectHandler } from './proxy/connectProxy.js';
import { SlotSet } from './slotSet.js';
import { prepareTls, type ServedCertificate } from './tls/tlsSetup.js';

/** One open listener: the port it really got (port 0 resolved) and a URL a local client can use. */
export interface Listener {
  port: number;
  url: string;
}

export type { ServedCertificate };

/** The local CA, as the start-up summary and `amazon-pay-mock env` show it. */
export interface ServedAuthority {
  /** ca.pem: the one file clients trust. */
  file: string;
  /** ca-bundle.pem: the CA plus Node's public roots (for SSL_CERT_FILE and friends). */
  bundleFile: string;
  source: 'generated' | 'reused';
  name: string;
  replaced: string | null;
}

export interface RunningServer {
  /** The one Fastify app behind both listeners (ready, never `listen`ed itself). */
  app: FastifyInstance;
  http: Listener | null;
  https: Listener | null;
  /** What the HTTPS listener serves; null when HTTPS is off. */
  certificate: ServedCertificate | null;
  /** The local CA behind the HTTPS listener and the intercepting proxy. */
  ca: ServedAuthority;
  /** Stops accepting, lets in-flight requests finish (forcing after a timeout), then closes the app. Idempotent. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** How long close() waits for in-flight requests before cutting their connections. */
  closeTimeoutMs?: number;
}

/** A listener could not bind; the message names the port and the option that moves it. */
export class ListenError extends Error {
  override name = 'ListenError';

  readonly code: string | undefined;
  readonly port: number;

  constructor(message: string, { code, port, cause }: { code: string | undefined; port: number; cause?: unknown }) {
    super(message, { cause });
    this.code = code;
    this.port = port;
  }
}

type NodeServer = http.Server | https.Server;

/**
 * How long an idle kept-alive socket stays open. Node's default (5 s) is shorter than the pools of
 * most HTTP clients, which then reuse a socket the server just closed and see ECONNRESET.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Lets a TLS connection stay half-open once its handshake is done, when the HTTP layer owns it and
 * ends it after its answers. Not before: a client that gives up during the handshake (it does not
 * trust the certificate) would leave a socket nobody ends, and closing would wait for it.
 */
function halfOpenOnceSecure(server: https.Server): https.Server {
  return server.on('secureConnection', (socket: Socket) => {
    socket.allowHalfOpen = true;
  });
}

/**
 * Serves one app over HTTP and/or HTTPS as the config says. The listeners bind first, so the app
 * is built with the ports they really got (port 0 resolved, e.g. for its public URL); a request
 * that arrives while the app is still being built waits for it.
 */
export async function startServer(config: Config, deps?: GivenDeps, options: StartOptions = {}): Promise<RunningServer> {
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  let app: FastifyInstance | null = null;
  // Names warned about once each: a client asked for a TLS name the mock does not serve.
  const unknownNames = new Set<string>();
  const tls = await prepareTls(config, (name) => {
    if (unknownNames.size > 100 || unknownNames.has(name)) return;
    unknownNames.add(name);
    app?.log.warn({ servername: name }, `TLS handshake for ${JSON.stringify(name)}, a name this mock does not serve: sent the default certificate (${tls.leaves.defaultNames.join(', ')}); add the name with --tls-names`);
  });

  let settle!: (app: FastifyInstance | null) => void;
  const appReady = new Promise<FastifyInstance | null>((resolve) => (settle = resolve));
  let draining = false;
  // Responses not yet finished, so draining can tell their clients not to reuse the socket.
  // Slots, not a Set: see slotSet.ts (a Set kept every request alive into the old generation).
  const inFlight = new SlotSet<http.ServerResponse>();
  const requestId = () => app?.mock.ids.uuid() ?? randomUUID();
  const log = (level: 'info' | 'warn' | 'debug', fields: Record<string, unknown>, message: string) => app?.log[level](fields, message);
  // Requests in absolute form for a host the mock is not are the proxy's, not the app's.
  const proxyStep = absoluteFormHandler({ passthrough: config.proxyPassthrough, requestId, log });
  // app.routing is Fastify's whole request handler (rewriteUrl included); Fastify's own server never listens.
  const handlerFor =
    (proxy: boolean): http.RequestListener =>
    (req, res) => {
      // While draining, requests still arriving on kept-alive sockets are served, then their socket closes.
      if (draining) res.setHeader('connection', 'close');
      else {
        const slot = inFlight.add(res);
        res.once('close', () => inFlight.delete(slot, res));
      }
      if (proxy && proxyStep(req, res)) return;
      if (app !== null) app.routing(req, res);
      else void appReady.then((ready) => (ready ? ready.routing(req, res) : res.destroy()));
    };
  const handler = handlerFor(true);

  const onClientError = answerClientError(requestId);
  const onExpectation = answerExpectation(requestId);
  /** Keep-alive longer than common client pools (undici, axios agents, Java/.NET pools hold ~60 s). */
  const configure = <S extends NodeServer>(server: S): S => {
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    // A client may send its request and then shut down its side of the connection (`nc -N`,
    // `curl --no-keepalive` through some proxies, scripted sockets). Node's default drops the
    // requests still unanswered when that end arrives; with this it answers them, then closes,
    // as a load balancer in front of the real API does. The property is Node's own (http.Server)
    // and is not in its types; the HTTPS listener's sockets also need `allowHalfOpen` once their
    // handshake is done (halfOpenOnceSecure), or TLS ends them itself. A second pipelined request
    // on a half-closed connection is still lost now and then: Node's server does not always read
    // it before the end.
    (server as unknown as { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    server.on('clientError', onClientError);
    server.on('checkExpectation', onExpectation);
    return server;
  };
  // Decrypted CONNECT tunnels are served by this never-listening server with the same handler, less
  // the proxy step: a tunnel's requests belong to the Amazon host it was opened for.
  const tunnelServer = configure(http.createServer(handlerFor(false)));
  const tunnels = new Set<Duplex>();
  const onConnect = connectHandler({
    leaves: tls.leaves,
    serve: (socket) => tunnelServer.emit('connection', socket),
    passthrough: config.proxyPassthrough,
    caFile: tls.ca.file,
    requestId,
    track: (socket) => {
      tunnels.add(socket);
      socket.once('close', () => tunnels.delete(socket));
      if (draining) socket.destroy();
    },
    log,
  });

  const opened: NodeServer[] = [];
  let listeners: { http: Listener | null; https: Listener | null };
  try {
    const httpServer = configure(http.createServer(handler));
    httpServer.on('connect', onConnect);
    const httpListener = config.http ? await listen(httpServer, endpointOf(config, 'http'), opened) : null;
    const httpsListener = config.https ? await listen(configure(halfOpenOnceSecure(https.createServer(tls.listenerOptions, handler))), endpointOf(config, 'https'), opened) : null;
    listeners = { http: httpListener, https: httpsListener };
    const effective: Config = { ...config, httpPort: httpListener?.port ?? config.httpPort, httpsPort: httpsListener?.port ?? config.httpsPort };
    const built = await buildApp(effective, deps);
    try {
      await built.ready();
    } catch (err) {
      await built.close().catch(() => undefined);
      throw err;
    }
    app = built;
  } catch (err) {
    settle(null);
    await Promise.all(opened.map((s) => drain(s, 0)));
    throw err;
  }
  settle(app);
  const running = app;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      await Promise.all([...opened.map((s) => drain(s, closeTimeoutMs)), closeTunnels(tunnels, inFlight, closeTimeoutMs)]);
      await running.close();
    })();
    return closing;
  };
  const ca: ServedAuthority = { file: tls.ca.file, bundleFile: tls.ca.bundleFile, source: tls.ca.source, name: tls.ca.name, replaced: tls.ca.replaced ?? null };
  return { app: running, ...listeners, certificate: config.https ? tls.served : null, ca, close };
}

/** Where a listener binds: its scheme, host and configured port. */
interface Endpoint {
  scheme: 'http' | 'https';
  host: string;
  port: number;
}

const endpointOf = (config: Config, scheme: 'http' | 'https'): Endpoint => ({ scheme, host: config.host, port: scheme === 'http' ? config.httpPort : config.httpsPort });

async function listen(server: NodeServer, endpoint: Endpoint, opened: NodeServer[]): Promise<Listener> {
  const { scheme, host, port } = endpoint;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(listenError(err, endpoint));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port });
  });
  opened.push(server);
  const address = server.address();
  const actual = typeof address === 'object' && address !== null ? address.port : port;
  return { port: actual, url: `${scheme}://${urlHost(host)}:${actual}` };
}

function listenError(err: NodeJS.ErrnoException, { scheme, host, port }: Endpoint): ListenError {
  const flag = scheme === 'http' ? '--http-port (AMAZON_PAY_MOCK_HTTP_PORT)' : '--https-port (AMAZON_PAY_MOCK_HTTPS_PORT)';
  const off = scheme === 'http' ? '--no-http' : '--no-https';
  const where = `${scheme.toUpperCase()} port ${port} on ${host}`;
  let message: string;
  switch (err.code) {
    case 'EADDRINUSE':
      message = `${where} is already in use; choose another with ${flag}, 0 for any free port, or turn the listener off with ${off}`;
      break;
    case 'EACCES':
      message = `${where}: permission denied (ports below 1024 need privileges); choose another with ${flag}`;
      break;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      message = `cannot listen on ${host}: no such local address; change --host (AMAZON_PAY_MOCK_HOST)`;
      break;
    default:
      message = `cannot listen on ${where}: ${err.message}`;
  }
  return new ListenError(message, { code: err.code, port, cause: err });
}

/**
 * Ends proxy tunnels: each as soon as no response on it is in flight, all of them after `timeoutMs`.
 * (Their sockets left the HTTP server's bookkeeping at CONNECT, so its close() would wait for them.)
 */
function closeTunnels(tunnels: Set<Duplex>, inFlight: SlotSet<http.ServerResponse>, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const busy = (socket: Duplex) => [...inFlight].some((res) => res.socket === socket);
    const sweep = () => {
      for (const socket of tunnels) if (!busy(socket)) socket.destroy();
      if (tunnels.size === 0) finish();
    };
    const timer = setInterval(sweep, 50);
    const force = setTimeout(() => {
      for (const socket of tunnels) socket.destroy();
      finish();
    }, timeoutMs);
    const finish = () => {
      clearInterval(timer);
      clearTimeout(force);
      resolve();
    };
    sweep();
  });
}

/**
 * Closes `server` gracefully: no new connections, idle keep-alive sockets closed at once and as
 * soon as their current request is answered, everything left cut after `timeoutMs`.
 */
function drain(server: NodeServer, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    // A socket becomes idle when its in-flight response ends; sweep until the server reports closed.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
    if (timeoutMs <= 0) server.closeAllConnections();
  });
}

/** The host part of a URL a client on this machine can use to reach a listener bound to `host`. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  if (host.startsWith('[')) return host;
  return isIP(host) === 6 ? `[${host}]` : host;
}
