import { describe, expect, it } from 'vitest';
import { callFacts } from '../../server/scenarios/facts.js';

const session = { session: { checkoutSessionId: 's1', merchantMetadata: { merchantReferenceId: 'scenario:declined', merchantStoreName: 'Shop', noteToBuyer: null, customInformation: null }, paymentDetails: { chargeAmount: { amount: '50.00', currencyCode: 'USD' } } } };
const state = { get: <T>(collection: string, id: string) => (collection === 'checkoutSessions' && id === 's1' ? (session as T) : undefined), list: () => [] };

describe('callFacts', () => {
  it('takes the merchant reference id from the body when it names one', () => {
    expect(callFacts(state, { params: { checkoutSessionId: 's1' }, body: { merchantMetadata: { merchantReferenceId: 'order-2' } } }).merchantReferenceId).toBe('order-2');
  });

  it('takes the stored one when the body names none, also when it changes other metadata (an update keeps the stored id)', () => {
    expect(callFacts(state, { params: { checkoutSessionId: 's1' }, body: undefined }).merchantReferenceId).toBe('scenario:declined');
    expect(callFacts(state, { params: { checkoutSessionId: 's1' }, body: { merchantMetadata: { noteToBuyer: 'Thanks' } } }).merchantReferenceId).toBe('scenario:declined');
  });
});
