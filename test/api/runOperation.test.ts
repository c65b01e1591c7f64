import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readySessionBody, testApp, type TestApp } from '../helpers/testApp.js';

describe('running an operation', () => {
  let t: TestApp;
  let sessionId: string;
  beforeEach(async () => {
    t = await testApp();
    sessionId = (await t.call('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId;
  });
  afterEach(() => t.close());

  it('reads the state once (the operation\'s own transaction) when no scenario rule is in force and no auth token is sent', async () => {
    const transact = vi.spyOn(t.app.mock.store, 'transact');
    expect((await t.call('GET', `/v2/checkoutSessions/${sessionId}`)).status).toBe(200);
    expect(transact).toHaveBeenCalledTimes(1);
  });

  it('gathers the call\'s facts first when a rule is in force, so a rule matching the session\'s reference id answers', async () => {
    const merchantReferenceId = (await t.call('GET', `/v2/checkoutSessions/${sessionId}`)).body.merchantMetadata?.merchantReferenceId;
    expect(typeof merchantReferenceId).toBe('string');
    const rule = { name: 'by-ref', match: { operation: 'getCheckoutSession', merchantReferenceId }, outcome: { kind: 'error', reasonCode: 'TooManyRequests' }, times: 1 };
    expect((await t.raw({ method: 'POST', url: '/__admin/scenarios', payload: rule, headers: { 'content-type': 'application/json' } })).status).toBe(201);
    const transact = vi.spyOn(t.app.mock.store, 'transact');
    const answer = await t.call('GET', `/v2/checkoutSessions/${sessionId}`);
    expect(answer.status).toBe(429);
    expect(answer.body.reasonCode).toBe('TooManyRequests');
    expect(transact).toHaveBeenCalled();
  });
});
