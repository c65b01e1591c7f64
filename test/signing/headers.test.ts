import { describe, expect, it } from 'vitest';
import { headerText, type IncomingHeaders } from '../../server/signing/headers.js';

/** Headers as Node hands them over: lower-case names on a plain object that inherits Object.prototype. */
const nodeHeaders = (fields: Record<string, string | string[]>): IncomingHeaders => Object.assign({}, fields);

describe('headerText', () => {
  it('finds a header whatever the casing of the name asked for', () => {
    const headers = nodeHeaders({ 'x-amz-pay-date': '20261130T100000Z' });
    expect(headerText(headers, 'x-amz-pay-date')).toBe('20261130T100000Z');
    expect(headerText(headers, 'X-Amz-Pay-Date')).toBe('20261130T100000Z');
  });

  it('joins repeated values with a comma', () => {
    expect(headerText(nodeHeaders({ 'set-cookie': ['a=1', 'b=2'] }), 'Set-Cookie')).toBe('a=1,b=2');
  });

  it('is undefined for a header not sent, an inherited property name included', () => {
    const headers = nodeHeaders({ host: 'pay-api.amazon.com' });
    for (const name of ['accept', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(headerText(headers, name)).toBeUndefined();
  });

  it('finds a sent header whose name, in the casing asked for, is an inherited property', () => {
    const headers = nodeHeaders({ tostring: 'a', hasownproperty: 'b', valueof: 'c' });
    expect(headerText(headers, 'toString')).toBe('a');
    expect(headerText(headers, 'hasOwnProperty')).toBe('b');
    expect(headerText(headers, 'valueOf')).toBe('c');
  });
});
