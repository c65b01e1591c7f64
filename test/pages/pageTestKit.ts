import { readySessionBody, type SignOptions, type TestApp } from '../helpers/testApp.js';

/** Steps shared by the hosted-page tests: what a merchant's backend and a buyer's browser send. */

export const usd = (amount: string) => ({ amount, currencyCode: 'USD' });

/** Creates a signed session (manual buyer approval: no buyer yet) and returns its id. */
export async function createSession(t: TestApp, overrides: Record<string, unknown> = {}, options: SignOptions = {}): Promise<string> {
  const res = await t.call('POST', '/v2/checkoutSessions', readySessionBody(overrides), options);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.checkoutSessionId;
}

/** The session as the merchant reads it through the API. */
export async function getSession(t: TestApp, id: string, options: SignOptions = {}): Promise<any> {
  return (await t.call('GET', `/v2/checkoutSessions/${id}`, undefined, options)).body;
}

export function complete(t: TestApp, id: string, amount = '50.00', options: SignOptions = {}) {
  return t.call('POST', `/v2/checkoutSessions/${id}/complete`, { chargeAmount: usd(amount) }, options);
}

/** A browser opening a page. */
export async function openPage(t: TestApp, path: string) {
  const res = await t.app.inject({ method: 'GET', url: path });
  return { status: res.statusCode, html: res.payload, headers: res.headers };
}

/** A browser submitting a form (application/x-www-form-urlencoded). */
export async function submit(t: TestApp, path: string, fields: Record<string, string>) {
  return postRaw(t, path, new URLSearchParams(fields).toString());
}

export async function postRaw(t: TestApp, path: string, payload: string | Buffer, contentType = 'application/x-www-form-urlencoded') {
  const res = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': contentType }, payload });
  return { status: res.statusCode, html: res.payload, headers: res.headers, location: res.headers.location as string | undefined };
}

/** The value attribute of the input with this id, unescaped. */
export function inputValue(html: string, id: string): string | undefined {
  const tag = new RegExp(`<input[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
  const value = tag ? /\bvalue="([^"]*)"/.exec(tag)?.[1] : undefined;
  return value?.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
