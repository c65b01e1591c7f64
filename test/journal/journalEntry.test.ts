import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { CallTrace } from '../../server/api/callTrace.js';
import { journalEntryOf, shortenAuthorization } from '../../server/journal/journalEntry.js';

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

  it('keeps the headers as they were when the call was answered: a later change to the headers object does not show', () => {
    const trace: CallTrace = { caller: null, operation: null, scenario: null, replayed: false, error: null, responsePayload: undefined };
    const request = requestLike(trace);
    const headers = request.headers as Record<string, unknown>;
    headers['x-forwarded-for'] = ['10.0.0.1', '10.0.0.2'];
    headers['x-skipped'] = undefined;
    const deferred = journalEntryOf(request, { status: 200, endedAt: 1000, elapsedMs: 1, responsePayload: null });
    headers['x-amz-pay-date'] = 'changed later';
    delete headers.authorization;
    expect(deferred.build().request.headers).toEqual({
      authorization: 'AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, SignedHeaders=x-amz-pay-date, Signature=abcdefghijkl…',
      'x-amz-pay-date': '20260101T000000Z',
      'x-forwarded-for': '10.0.0.1, 10.0.0.2',
    });
  });

  it('shows the headers of an in-process request whose value holds a NUL as one text, without failing', () => {
    const trace: CallTrace = { caller: null, operation: null, scenario: null, replayed: false, error: null, responsePayload: undefined };
    const request = requestLike(trace);
    (request.headers as Record<string, unknown>)['x-odd'] = 'a\u0000b';
    const entry = journalEntryOf(request, { status: 200, endedAt: 1000, elapsedMs: 1, responsePayload: null }).build();
    expect(Object.keys(entry.request.headers)).toEqual(['(headers)']);
    expect(entry.request.headers['(headers)']).toContain('x-odd a b');
  });
});

describe('shortenAuthorization', () => {
  it('cuts the signature to its first 12 characters exactly as the regular expression does, whatever follows it', () => {
    const byExpression = (value: string) => value.replace(/Signature=(\S{12})\S+/, 'Signature=$1…');
    const values = [
      'AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, SignedHeaders=a;b, Signature=' + 'Ab+/9='.repeat(60),
      'X Signature=abcdefghijklm',
      'X Signature=abcdefghijkl',
      'X Signature=abc',
      'X Signature=abcdefghijklmnop trailing words',
      'X Signature=abcdefghijklmnop,more',
      'X Signature=abcdefghijklmnop\tafter a tab',
      'X Signature=é' + 'a'.repeat(20),
      'X Signature=short Signature=abcdefghijklmnopq',
      'no signature here',
      '',
    ];
    for (const value of values) expect(shortenAuthorization(value, '…'), value).toBe(byExpression(value));
  });

  it('marks the cut with what it is given', () => {
    expect(shortenAuthorization('X Signature=abcdefghijklmnop', '\u0001')).toBe('X Signature=abcdefghijkl\u0001');
    expect(shortenAuthorization('X Signature=abcdefghijklmnop,more', '|')).toBe('X Signature=abcdefghijkl|');
  });
});
