import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { signRequest } from '../../server/signing/signRequest.js';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { storeId } from '../helpers/testApp.js';

/** True when `command` runs here (`<command> <versionFlag>` exits 0). */
export function hasCommand(command: string, versionFlag = '--version'): boolean {
  const r = spawnSync(command, [versionFlag], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
}

/** A create-checkout-session body every region accepts (no amounts, so no currency rules). */
export const createBody = JSON.stringify({
  storeId,
  webCheckoutDetails: { checkoutReviewReturnUrl: 'https://merchant.example/review', checkoutResultReturnUrl: 'https://merchant.example/result' },
});

/** Headers of a signed createCheckoutSession for `host` (x-amz-pay-host is the Amazon host, as an SDK signs it). */
export function signedCreate(host: string, region: string): { url: string; headers: Record<string, string> } {
  const signed = signRequest({
    method: 'POST',
    url: `https://${host}/v2/checkoutSessions`,
    body: createBody,
    headers: { 'x-amz-pay-idempotency-key': randomUUID().replace(/-/g, '') },
    privateKey: demoPrivateKey,
    publicKeyId: demoKeyIds.sandbox,
    algorithm: 'AMZN-PAY-RSASSA-PSS-V2',
    region,
    dateFormat: 'compact',
  });
  return { url: signed.url, headers: signed.headers };
}

/** Sends raw bytes to host:port and resolves with everything received until the server closes (or `waitMs`). */
export function rawExchange(port: number, bytes: string, waitMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(data);
    }, waitMs);
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
    socket.write(bytes);
  });
}

/** Splits a raw HTTP answer into status, lower-cased headers and body. */
export function parseRaw(text: string): { status: number; headers: Record<string, string>; body: string } {
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}
