import type { IncomingMessage } from 'node:http';
import net, { type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { amazonHostOf } from '../domain/amazonHosts.js';
import { reasonCodes } from '../domain/reasonCodes.js';
import { isLoopback } from '../loopback.js';
import type { LeafCertificates } from '../tls/leafCertificates.js';
import { amazonPort, targetNotServedMessage, unreachableMessage } from './refusals.js';
import { markTunnel } from './tunnels.js';

/** What the CONNECT handler needs from the server around it. */
export interface ConnectProxyOptions {
  leaves: LeafCertificates;
  /** Hands the decrypted side of a tunnel to the HTTP server that serves the app. */
  serve(socket: TLSSocket): void;
  /** `loopback`: tunnel CONNECTs to this machine's addresses as plain TCP; `none`: refuse them too. */
  passthrough: 'none' | 'loopback';
  /** Path of the CA, named in the hint when a client rejects the handshake. */
  caFile: string;
  requestId(): string;
  /** Every socket a tunnel keeps open, so closing the server can end them. */
  track(socket: Duplex): void;
  log(level: 'info' | 'warn' | 'debug', fields: Record<string, unknown>, message: string): void;
}

/** `host:port`, host a DNS name, IPv4 address or bracketed IPv6 address (RFC 9110 authority-form). */
const authorityForm = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9._-]+)):(\d{1,5})$/i;

/**
 * The `connect` listener of the HTTP server: CONNECT to an Amazon host on 443 is answered 200 and
 * the tunnel is terminated with a leaf of the local CA for that host, then served by the same app
 * as a direct request; loopback targets are tunnelled as they are when allowed; anything else is
 * refused with an Amazon-shaped error. Never throws: a bad socket only ends itself.
 */
export function connectHandler(options: ConnectProxyOptions): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    socket.on('error', (err) => options.log('debug', { err, target: req.url }, 'proxy client connection error'));
    const connection: ProxyConnection = { options, socket, head };
    try {
      route(connection, req);
    } catch (err) {
      options.log('warn', { err, target: req.url }, 'CONNECT failed');
      refuse(connection, 'InternalServerError', 'The proxy could not open the tunnel.');
    }
  };
}

/** One CONNECT being handled: the proxy's options, the client's socket and what it sent after the request head. */
interface ProxyConnection {
  options: ConnectProxyOptions;
  socket: Duplex;
  head: Buffer;
}

function route(connection: ProxyConnection, req: IncomingMessage): void {
  const { options } = connection;
  const target = req.url ?? '';
  const parsed = authorityForm.exec(target);
  const port = parsed ? Number(parsed[3]) : NaN;
  if (!parsed || port < 1 || port > 65535) {
    refuse(connection, 'InvalidRequest', `CONNECT needs a target of the form host:port (e.g. CONNECT pay-api.amazon.com:443), got ${JSON.stringify(target.slice(0, 200))}.`);
    return;
  }
  const host = (parsed[1] ?? parsed[2]!).toLowerCase();
  const amazon = amazonHostOf(host);
  if (amazon && port === amazonPort) {
    intercept(connection, amazon);
    return;
  }
  if (!amazon && options.passthrough === 'loopback' && isLoopback(host)) {
    passThrough(connection, { host, port });
    return;
  }
  refuse(connection, 'ProxyTargetNotServed', targetNotServedMessage({ host, port, shown: target }, options.passthrough));
}

function intercept({ options, socket, head }: ProxyConnection, target: NonNullable<ReturnType<typeof amazonHostOf>>): void {
  const leaf = options.leaves.leafFor(target.host);
  if (!leaf) throw new Error(`no leaf for ${target.host}`);
  socket.write(established(options));
  if (head.length > 0) socket.unshift(head);
  const tls = new TLSSocket(socket as Socket, { isServer: true, secureContext: leaf.context, ALPNProtocols: ['http/1.1'] });
  markTunnel(tls, target);
  tls.once('close', () => socket.destroy());
  options.track(tls);
  tls.on('error', (err: NodeJS.ErrnoException) => {
    const refused = /alert (unknown ca|bad certificate|certificate unknown)/i.test(err.message);
    options.log(
      refused ? 'warn' : 'debug',
      { err: err.message, host: target.host },
      refused
        ? `TLS handshake through the proxy for ${target.host} failed: the client does not trust the mock's CA; trust ${options.caFile} (amazon-pay-mock env prints the settings)`
        : 'TLS error on a proxy tunnel',
    );
    socket.destroy();
  });
  options.log('debug', { host: target.host, region: target.region }, 'proxy tunnel opened');
  options.serve(tls);
}

function passThrough(connection: ProxyConnection, { host, port }: { host: string; port: number }): void {
  const { options, socket, head } = connection;
  const upstream = net.connect({ host: host.replace(/^\[(.*)\]$/, '$1'), port });
  options.track(socket);
  options.track(upstream);
  let connected = false;
  upstream.once('connect', () => {
    connected = true;
    socket.write(established(options));
    if (head.length > 0) upstream.write(head);
    socket.pipe(upstream);
    upstream.pipe(socket);
  });
  upstream.on('error', (err: NodeJS.ErrnoException) => {
    if (!connected) refuse(connection, 'ServiceUnavailable', unreachableMessage(host, port, err));
    else socket.destroy();
  });
  upstream.on('close', () => socket.destroy());
  socket.on('close', () => upstream.destroy());
}

/** The 200 that opens a tunnel; it carries a request id like every other answer of the mock. */
function established(options: ConnectProxyOptions): string {
  return `HTTP/1.1 200 Connection Established\r\nproxy-agent: amazon-pay-mock\r\nx-amz-pay-request-id: ${options.requestId()}\r\n\r\n`;
}

const statusText: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** Answers the CONNECT with an Amazon-shaped error (status from the catalog) and closes the connection. */
function refuse({ options, socket }: ProxyConnection, reasonCode: keyof typeof reasonCodes, message: string): void {
  const status = reasonCodes[reasonCode].status;
  const body = JSON.stringify({ reasonCode, message });
  options.log('info', { status, reasonCode }, `CONNECT refused: ${message}`);
  if (socket.destroyed || !socket.writable) return;
  socket.end(
    `HTTP/1.1 ${status} ${statusText[status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `x-amz-pay-request-id: ${options.requestId()}\r\nconnection: close\r\n\r\n${body}`,
  );
}
