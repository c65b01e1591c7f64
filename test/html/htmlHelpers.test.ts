import { describe, expect, it } from 'vitest';
import { formatPrice } from '../../server/html/display.js';
import { FormError, parseForm } from '../../server/html/forms.js';
import { escapeHtml, html, SafeHtml } from '../../server/html/html.js';
import { withQueryParam } from '../../server/html/returnUrls.js';

describe('withQueryParam', () => {
  it.each([
    ['https://m.example/review', 'https://m.example/review?amazonCheckoutSessionId=abc'],
    ['https://m.example/review?step=2', 'https://m.example/review?step=2&amazonCheckoutSessionId=abc'],
    ['https://m.example/review?a=1&b=%20x+y', 'https://m.example/review?a=1&b=%20x+y&amazonCheckoutSessionId=abc'],
    ['https://m.example/review?', 'https://m.example/review?amazonCheckoutSessionId=abc'],
    ['https://m.example/review?a=1&', 'https://m.example/review?a=1&amazonCheckoutSessionId=abc'],
    ['https://m.example/review#pay', 'https://m.example/review?amazonCheckoutSessionId=abc#pay'],
    ['https://m.example/review?a=1#x?y', 'https://m.example/review?a=1&amazonCheckoutSessionId=abc#x?y'],
  ])('%s -> %s', (url, expected) => {
    expect(withQueryParam(url, 'amazonCheckoutSessionId', 'abc')).toBe(expected);
  });

  it('encodes the value', () => {
    expect(withQueryParam('https://m.example/', 'id', 'a&b=c d')).toBe('https://m.example/?id=a%26b%3Dc%20d');
  });
});

describe('html', () => {
  it('escapes every interpolated value, markup built by html excepted', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x\''}">${'a & <b>'}${inner}${null}${undefined}${false}${0}${['<', html`<br>`]}</p>`.value).toBe(
      '<p title="&quot;x&#39;">a &amp; &lt;b&gt;<b>&lt;i&gt;</b>0&lt;<br></p>',
    );
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
    expect(html`${new SafeHtml('<hr>')}`.toString()).toBe('<hr>');
  });
});

describe('parseForm', () => {
  const form = 'application/x-www-form-urlencoded';

  it('decodes + and percent-escapes as UTF-8', () => {
    const fields = parseForm(`${form}; charset=UTF-8`, Buffer.from('name=J%C3%BCrgen+M%C3%BCller&email=a%40b.c&empty=&flag'));
    expect(Object.fromEntries(fields)).toEqual({ name: 'Jürgen Müller', email: 'a@b.c', empty: '', flag: '' });
  });

  it.each([
    ['text/plain', 'a=1'],
    [undefined, 'a=1'],
    [form, 'a=%E0%A4%A'],
    [form, 'a=%C3%28'],
    [form, 'a=1&a=2'],
    [`${form}; charset=latin1`, 'a=1'],
  ])('refuses %s %s', (type, body) => {
    expect(() => parseForm(type, Buffer.from(body))).toThrow(FormError);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(() => parseForm(form, Buffer.from([0x61, 0x3d, 0xe9]))).toThrow(FormError);
  });
});

describe('formatPrice', () => {
  it.each([
    [{ amount: '50.00', currencyCode: 'USD' }, '$50.00 (USD)'],
    [{ amount: '1234.5', currencyCode: 'EUR' }, '€1,234.50 (EUR)'],
    [{ amount: '500', currencyCode: 'JPY' }, '¥500 (JPY)'],
    [{ amount: '9.99', currencyCode: 'GBP' }, '£9.99 (GBP)'],
  ])('%j -> %s', (price, expected) => {
    expect(formatPrice(price)).toBe(expected);
  });
});
