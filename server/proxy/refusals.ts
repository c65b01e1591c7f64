import { amazonHostOf, amazonHosts } from '../domain/amazonHosts.js';
import { isLoopback } from '../loopback.js';

/** The HTTPS port every Amazon host is reached on. */
export const amazonPort = 443;

/** The hosts the proxy serves, for messages. */
export const servedHostList = Object.keys(amazonHosts).join(', ');

/** A proxy target as the refusal names it: the host (lower case) and port, and the text shown for it. */
export interface RefusedTarget {
  host: string;
  port: number;
  /** `host:port` as the client asked for it (the CONNECT target, or the authority of an absolute-form URL). */
  shown: string;
}

/**
 * Why the proxy does not serve a target, in the one wording CONNECT and absolute-form requests
 * share (403 ProxyTargetNotServed): the mock is offline, which hosts it serves, and for a loopback
 * target while passthrough is off, the option that lets it through.
 */
export function targetNotServedMessage(target: RefusedTarget, passthrough: 'none' | 'loopback'): string {
  const amazon = amazonHostOf(target.host);
  const why = amazon
    ? `${amazon.host} is served on port ${amazonPort} only, not ${target.port}.`
    : `amazon-pay-mock is an offline stand-in: nothing leaves this machine through its proxy, and ${target.shown} is not a host it serves.`;
  const loopbackHint = passthrough === 'none' && isLoopback(target.host) ? ' Loopback targets are passed through with --proxy-passthrough loopback.' : '';
  return `${why} It serves ${servedHostList} (port ${amazonPort}).${loopbackHint}`;
}

/** Why a passed-through loopback target got no answer (503 ServiceUnavailable). */
export function unreachableMessage(host: string, port: number, err: NodeJS.ErrnoException): string {
  return `Could not reach ${host}:${port} on this machine (${err.code ?? err.message}).`;
}
