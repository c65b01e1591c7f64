import type { CheckoutSession } from '../domain/types.js';

/**
 * Adds `name=value` to a URL's query, keeping what is there byte for byte (no re-encoding of the
 * merchant's own parameters) and keeping any fragment last.
 */
export function withQueryParam(url: string, name: string, value: string): string {
  const hashAt = url.indexOf('#');
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${encodeURIComponent(name)}=${encodeURIComponent(value)}${fragment}`;
}

/** The merchant URL with `amazonCheckoutSessionId` added, as Amazon returns buyers. */
export function returnTo(url: string, session: CheckoutSession): string {
  return withQueryParam(url, 'amazonCheckoutSessionId', session.checkoutSessionId);
}

type UrlKind = 'checkoutReviewReturnUrl' | 'checkoutResultReturnUrl' | 'checkoutCancelUrl';

/** The first of the session's merchant URLs that is set, or null. */
export function firstUrl(session: CheckoutSession, kinds: readonly UrlKind[]): string | null {
  for (const kind of kinds) {
    const url = session.webCheckoutDetails?.[kind];
    if (url) return url;
  }
  return null;
}

/** Where a buyer who cancels on `step` goes: the cancel URL, else that step's own return URL. */
export function cancelUrlOf(session: CheckoutSession, step: 'signin' | 'payment'): string | null {
  return step === 'signin'
    ? firstUrl(session, ['checkoutCancelUrl', 'checkoutReviewReturnUrl', 'checkoutResultReturnUrl'])
    : firstUrl(session, ['checkoutCancelUrl', 'checkoutResultReturnUrl', 'checkoutReviewReturnUrl']);
}

/** The merchant page to offer from a session that is no longer Open. */
export function merchantUrlOf(session: CheckoutSession): string | null {
  return session.statusDetails.state === 'Canceled'
    ? firstUrl(session, ['checkoutCancelUrl', 'checkoutResultReturnUrl', 'checkoutReviewReturnUrl'])
    : firstUrl(session, ['checkoutResultReturnUrl', 'checkoutReviewReturnUrl']);
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A URL as it can go in a Location header: every byte outside printable ASCII percent-encoded as
 * UTF-8 (a non-ASCII return URL stays the same address), escapes already there kept as they are.
 */
export function locationHeader(url: string): string {
  return url.replace(/[^\x21-\x7e]+/gu, (run) => encodeURIComponent(run.replace(loneSurrogate, '\uFFFD')));
}
