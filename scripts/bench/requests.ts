import type { KeyObject } from 'node:crypto';
import type { SignRequestInput, SignedRequest } from '../../server/signing/signRequest.js';
import type { PreparedRequest } from './load.js';

/** The demo merchant key shipped in fixtures/keys. */
export const demoPublicKeyId = 'SANDBOX-AMZNPAYMOCKDEMO000000001';
export const demoPrivateKeyFile = 'fixtures/keys/demo-private.pem';

/** Body of every Complete Checkout Session call; matches the session's paymentDetails.chargeAmount. */
export const completeBody = JSON.stringify({ chargeAmount: { amount: '50.00', currencyCode: 'USD' } });

/** A create body that leaves nothing unset, so the auto-approved session can be completed at once. */
export const createBody = JSON.stringify({
  storeId: 'amzn1.application-oa2-client.8b5e45312b5248b69eeaStoreId01',
  webCheckoutDetails: { checkoutReviewReturnUrl: 'https://merchant.example/review', checkoutResultReturnUrl: 'https://merchant.example/result' },
  paymentDetails: { paymentIntent: 'Authorize', chargeAmount: { amount: '50.00', currencyCode: 'USD' } },
  merchantMetadata: { merchantReferenceId: 'bench-order', merchantStoreName: 'Demo Store' },
});

/** Path of Complete Checkout Session for one session. */
export function completePath(checkoutSessionId: string): string {
  return `/v2/checkoutSessions/${encodeURIComponent(checkoutSessionId)}/complete`;
}

export const createPath = '/v2/checkoutSessions';

/** Path of Get Checkout Session for one session. */
export function getPath(checkoutSessionId: string): string {
  return `/v2/checkoutSessions/${encodeURIComponent(checkoutSessionId)}`;
}

/** Signs a POST (or a GET) to `origin` + `path`; the signer is passed in so pure callers need not load node:crypto keys. */
export function signedRequest(
  sign: (input: SignRequestInput) => SignedRequest,
  input: { origin: string; path: string; body: string; privateKey: string | KeyObject; publicKeyId: string; method?: 'GET' | 'POST' },
): PreparedRequest {
  const method = input.method ?? 'POST';
  const body = method === 'GET' ? '' : input.body;
  const signed = sign({ method, url: `${input.origin}${input.path}`, body, privateKey: input.privateKey, publicKeyId: input.publicKeyId });
  const url = new URL(signed.url);
  return { method, path: url.pathname + url.search, headers: signed.headers, body };
}

/** The checkoutSessionId of each create answer, in order; throws on an answer without one. */
export function sessionIdsOf(bodies: readonly (string | undefined)[]): string[] {
  return bodies.map((text, i) => {
    if (text === undefined) throw new Error(`create #${i}: no answer kept`);
    const id = (JSON.parse(text) as { checkoutSessionId?: unknown }).checkoutSessionId;
    if (typeof id !== 'string' || id === '') throw new Error(`create #${i}: no checkoutSessionId in ${text.slice(0, 200)}`);
    return id;
  });
}
