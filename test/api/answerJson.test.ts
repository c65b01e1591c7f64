import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answerJson } from '../../server/api/answerJson.js';
import { deepFreeze } from '../../server/store/encoding.js';
import { readySessionBody, testApp, type TestApp } from '../helpers/testApp.js';

describe('the JSON of an answer', () => {
  afterEach(() => vi.restoreAllMocks());

  it('serializes a deeply frozen body once and shares its text and bytes with every later answer', () => {
    const body = deepFreeze({ id: 'S01-1', amount: { value: '50.00', currencyCode: 'USD' }, list: [{ a: 1 }] });
    const stringify = vi.spyOn(JSON, 'stringify');
    const first = answerJson(body);
    const second = answerJson(body);
    expect(stringify).toHaveBeenCalledTimes(1);
    expect(second).toBe(first);
    expect(first.text).toBe('{"id":"S01-1","amount":{"value":"50.00","currencyCode":"USD"},"list":[{"a":1}]}');
    expect(first.bytes.toString('utf8')).toBe(first.text);
  });

  it('serializes a body every time when something inside it can still change', () => {
    const inner = { state: 'Open' };
    const body = Object.freeze({ statusDetails: inner });
    expect(answerJson(body).text).toBe('{"statusDetails":{"state":"Open"}}');
    inner.state = 'Canceled';
    expect(answerJson(body).text).toBe('{"statusDetails":{"state":"Canceled"}}');
  });

  it('serializes an unfrozen body every time', () => {
    const body: { state: string } = { state: 'Open' };
    expect(answerJson(body).text).toBe('{"state":"Open"}');
    body.state = 'Completed';
    expect(answerJson(body).text).toBe('{"state":"Completed"}');
  });

  it('gives the bytes of non-ASCII text as UTF-8', () => {
    const json = answerJson(deepFreeze({ name: 'Zoë 山田' }));
    expect(json.bytes.equals(Buffer.from('{"name":"Zoë 山田"}', 'utf8'))).toBe(true);
  });
});

describe('answering with a stored object', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  it('answers repeated Gets of an unchanged session with the same JSON, and a changed session with its new JSON', async () => {
    const id = (await t.call('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId;
    const first = await t.call('GET', `/v2/checkoutSessions/${id}`);
    const again = await t.call('GET', `/v2/checkoutSessions/${id}`);
    expect(again.body).toEqual(first.body);
    expect(again.headers['content-type']).toBe('application/json');
    const stringify = vi.spyOn(JSON, 'stringify');
    await t.call('GET', `/v2/checkoutSessions/${id}`);
    // The stored session was serialized by the earlier Gets: this one only records its call.
    expect(stringify.mock.calls.filter(([value]) => (value as { checkoutSessionId?: string } | null)?.checkoutSessionId === id)).toHaveLength(0);
    stringify.mockRestore();
    const updated = await t.call('PATCH', `/v2/checkoutSessions/${id}`, { merchantMetadata: { merchantReferenceId: 'order-2' } });
    expect(updated.status).toBe(200);
    const after = await t.call('GET', `/v2/checkoutSessions/${id}`);
    expect(after.body.merchantMetadata.merchantReferenceId).toBe('order-2');
    expect(after.body).not.toEqual(first.body);
  });
});
