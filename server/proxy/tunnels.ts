import type { Socket } from 'node:net';
import type { AmazonHost } from '../domain/amazonHosts.js';

/** The Amazon host a CONNECT tunnel was opened for. */
export type TunnelTarget = { host: string } & AmazonHost;

const targets = new WeakMap<Socket, TunnelTarget>();

/** Remembers that requests on `socket` (the decrypted side of a tunnel) are for `target`. */
export function markTunnel(socket: Socket, target: TunnelTarget): void {
  targets.set(socket, target);
}

/** The host a request's connection was tunnelled for, or undefined for a direct connection. */
export function tunnelTargetOf(socket: Socket | null | undefined): TunnelTarget | undefined {
  return socket ? targets.get(socket) : undefined;
}
