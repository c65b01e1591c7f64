import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locationHeader } from '../../server/html/returnUrls.js';
import { testApp, type TestApp } from '../helpers/testApp.js';
import { createSession, submit } from './pageTestKit.js';

describe('locationHeader', () => {
  it('percent-encodes non-ASCII as UTF-8 and keeps escapes already there', () => {
    expect(locationHeader('https://shop.example/résultat?q=ü&x=%41')).toBe('https://shop.example/r%C3%A9sultat?q=%C3%BC&x=%41');
  });

  it('never yields a character a header cannot carry, even from a lone surrogate', () => {
    const out = locationHeader('https://shop.example/\uD800x\u0000\u00ff');
    expect(out).toMatch(/^[\x21-\x7e]+$/);
  });
});

describe('hosted pages and return URLs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ buyerApproval: 'manual' });
  });
  afterAll(() => t.close());

  it('redirects a buyer to a non-ASCII return URL with an encoded Location (was a 500 JSON page)', async () => {
    const id = await createSession(t, {
      webCheckoutDetails: { checkoutReviewReturnUrl: 'https://shop.example/prüfen', checkoutResultReturnUrl: 'https://shop.example/ergebnis/größe?ä=1' },
    });
    const res = await submit(t, '/checkout/processing', { amazonCheckoutSessionId: id, card: '1111', action: 'pay' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`https://shop.example/ergebnis/gr%C3%B6%C3%9Fe?%C3%A4=1&amazonCheckoutSessionId=${id}`);
  });

  it.each(['https://shop.example/\u0000', 'https://shop.example/a\u0007b', 'https://shop.example/\u007f', 'https://shop.example/a\u001bb'])(
    'refuses a return URL with a control character (%j) when the session is created',
    async (url) => {
      const res = await t.call('POST', '/v2/checkoutSessions', {
        storeId: 'amzn1.application-oa2-client.0123456789abcdef',
        webCheckoutDetails: { checkoutReviewReturnUrl: url },
      });
      expect(res.status).toBe(400);
      expect(res.body.reasonCode).toBe('InvalidParameterValue');
    },
  );
});
