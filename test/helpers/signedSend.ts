import { request, type Agent } from 'undici';
import { signRequest } from '../../server/signing/signRequest.js';
import { demoKeyIds, demoPrivateKey } from './demoKeys.js';

/** Sends one request signed with the demo sandbox key over a real socket, as an SDK would; returns status and parsed body. */
export async function sendSigned(baseUrl: string, agent: Agent, method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  const signed = signRequest({ method, url: `${baseUrl}${path}`, body: text, privateKey: demoPrivateKey, publicKeyId: demoKeyIds.sandbox, algorithm: 'AMZN-PAY-RSASSA-PSS-V2', headers });
  const res = await request(signed.url, { method: method as 'POST', headers: signed.headers, body: text || undefined, dispatcher: agent });
  const raw = await res.body.text();
  return { status: res.statusCode, body: raw ? JSON.parse(raw) : null };
}

/** Counts answers by status (and reasonCode for errors): `{ '200': 1, '422 InvalidChargeStatus': 99 }`. */
export function tally(results: { status: number; body: any }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const label = r.status < 300 ? String(r.status) : `${r.status} ${r.body?.reasonCode}`;
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}
