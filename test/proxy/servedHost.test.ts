import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { amazonHostOf } from '../../server/domain/amazonHosts.js';
import { absoluteAuthorityOf, servedHostOf } from '../../server/proxy/servedHost.js';
import { markTunnel } from '../../server/proxy/tunnels.js';

function raw(url: string, host?: string, socket: net.Socket = new net.Socket(), originalUrl?: string): IncomingMessage {
  return { url, headers: host ? { host } : {}, socket, ...(originalUrl ? { originalUrl } : {}) } as unknown as IncomingMessage;
}

describe('servedHostOf: the Amazon host (and so the region) a request was addressed to', () => {
  it('takes a CONNECT tunnel first, whatever Host says', () => {
    const socket = new net.Socket();
    markTunnel(socket, { host: 'pay-api.amazon.jp', region: 'jp', serves: 'api' });
    expect(servedHostOf(raw('/v2/charges/x', 'pay-api.amazon.com', socket))).toEqual({ host: 'pay-api.amazon.jp', region: 'jp', serves: 'api', via: 'connect' });
  });

  it('reads an absolute-form target as sent (Fastify keeps it in originalUrl)', () => {
    expect(servedHostOf(raw('/v2/charges/x', 'pay-api.amazon.eu', undefined, 'https://pay-api.amazon.eu/v2/charges/x'))).toEqual({
      host: 'pay-api.amazon.eu',
      region: 'eu',
      serves: 'api',
      via: 'absolute-form',
    });
    expect(servedHostOf(raw('https://static-fe.payments-amazon.com:443/checkout.js'))).toMatchObject({ host: 'static-fe.payments-amazon.com', region: 'jp', serves: 'checkout.js' });
    expect(servedHostOf(raw('http://example.com/v2/x', 'pay-api.amazon.com'))).toBeNull();
  });

  it('reads the authority of an absolute-form target without its user info, and nothing from other forms', () => {
    expect(absoluteAuthorityOf('https://user:pw@pay-api.amazon.eu:443/v2/x?y')).toBe('pay-api.amazon.eu:443');
    expect(absoluteAuthorityOf('http://[::1]:3000')).toBe('[::1]:3000');
    expect(absoluteAuthorityOf('HTTP://Example.com?x')).toBe('Example.com');
    expect(absoluteAuthorityOf('/v2/x')).toBeNull();
    expect(absoluteAuthorityOf('*')).toBeNull();
  });

  it('falls back to the Host header (a hosts-file redirection), any case, port or trailing dot', () => {
    expect(servedHostOf(raw('/v2/x', 'PAY-API.AMAZON.COM.:443'))).toEqual({ host: 'pay-api.amazon.com', region: 'na', serves: 'api', via: 'host-header' });
    expect(servedHostOf(raw('/v2/x', '127.0.0.1:8443'))).toBeNull();
    expect(servedHostOf(raw('/v2/x'))).toBeNull();
  });

  it('maps every Amazon host to its region, and nothing else', () => {
    expect(['pay-api.amazon.com', 'pay-api.amazon.eu', 'pay-api.amazon.jp'].map((h) => amazonHostOf(h)?.region)).toEqual(['na', 'eu', 'jp']);
    expect(['static-na.payments-amazon.com', 'static-eu.payments-amazon.com', 'static-fe.payments-amazon.com'].map((h) => amazonHostOf(h)?.region)).toEqual(['na', 'eu', 'jp']);
    expect(amazonHostOf('pay-api.amazon.co.uk')).toBeNull();
    expect(amazonHostOf('constructor')).toBeNull();
  });
});
