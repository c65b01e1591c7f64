import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { CallTrace } from '../../server/api/callTrace.js';
import { journalEntryOf } from '../../server/journal/journalEntry.js';

/** The parts of a Fastify request the journal reads. */
function requestLike(trace: CallTrace): FastifyRequest {
  return {
    method: 'GET',
    raw: { url: '/v2/checkoutSessions/abc' },
    headers: { authorization: 'AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, SignedHeaders=x-amz-pay-date, Signature=abcdefghijklmnopqrstuvwxyz', 'x-amz-pay-date': '20260101T000000Z' },
    params: { checkoutSessionId: 'abc' },
    body: undefined,
    trace,
    servedHost: null,
  } as unknown as FastifyRequest;
}

describe('a journal entry of a call', () => {
  it('keeps what the call\'s trace said when it was answered, not what the trace says later', () => {
    const trace: CallTrace = { caller: { publicKeyId: 'K', ns: 'm1' }, operation: 'getCheckoutSession', scenario: null, replayed: false, error: null, responsePayload: undefined };
    const deferred = journalEntryOf(requestLike(trace), { status: 200, endedAt: Date.UTC(2026, 0, 1, 0, 0, 1), elapsedMs: 1000, responsePayload: Buffer.from('{"checkoutSessionId":"abc"}') });
    trace.operation = 'somethingElse';
    trace.scenario = 'late';
    trace.caller = null;
    const entry = deferred.build();
    expect(entry).toMatchObject({ operation: 'getCheckoutSession', scenario: null, merchant: 'm1', publicKeyId: 'K', status: 200, time: '2026-01-01T00:00:00.000Z', objectIds: ['abc'] });
    expect(deferred).toMatchObject({ at: Date.UTC(2026, 0, 1), merchant: 'm1' });
    expect(entry.request.headers.authorization).toBe('AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, SignedHeaders=x-amz-pay-date, Signature=abcdefghijkl…');
    expect(entry.response.body).toEqual({ checkoutSessionId: 'abc' });
  });
});
