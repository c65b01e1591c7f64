import { describe, expect, it } from 'vitest';
import { createCheckoutSession } from '../../../server/domain/checkoutSession/createCheckoutSession.js';
import { finalizeCheckoutSession } from '../../../server/domain/checkoutSession/finalizeCheckoutSession.js';
import { getCheckoutSession } from '../../../server/domain/checkoutSession/getCheckoutSession.js';
import type { SessionRecord } from '../../../server/domain/checkoutSession/sessionRecord.js';
import { sessionWrite } from '../../../server/domain/checkoutSession/sessionState.js';
import { approveSession } from '../../../server/domain/checkoutSession/approveSession.js';
import type { CheckoutSession } from '../../../server/domain/types.js';
import { expectAmazonError } from '../../helpers/amazonError.js';
import { domainWorld } from '../../helpers/domainEnv.js';
import { readySessionBody } from '../../helpers/testApp.js';

const usd = (amount: string) => ({ amount, currencyCode: 'USD' });

/** A session the (automatically approving) buyer has signed in to: its id and what the buyer chose. */
function approvedSession(world: ReturnType<typeof domainWorld>, overrides: Record<string, unknown> = {}) {
  const id = world.apply(createCheckoutSession(world.env(), readySessionBody(overrides))).body.checkoutSessionId;
  const session = getCheckoutSession(world.env(), id).body as CheckoutSession;
  return { id, shippingAddress: session.shippingAddress!, billingAddress: session.billingAddress! };
}

describe('finalizeCheckoutSession', () => {
  it('completes with the final amount and intent: Completed session, charge permission and Authorized charge', () => {
    const world = domainWorld();
    const { id, shippingAddress } = approvedSession(world);
    const result = world.apply(finalizeCheckoutSession(world.env(), id, { body: { shippingAddress, chargeAmount: usd('42.50'), paymentIntent: 'Authorize' } }));
    expect(result.status).toBe(200);
    const answer = result.body as Record<string, any>;
    expect(answer.statusDetails.state).toBe('Completed');
    expect(answer.chargePermissionId).toMatch(/^S01-\d{7}-\d{7}$/);
    expect(answer.chargeId).toMatch(new RegExp(`^${answer.chargePermissionId}-C\\d{6}$`));
    expect(answer.paymentDetails).toBeNull();
    const stored = world.get<SessionRecord>('checkoutSessions', id).session;
    expect(stored.paymentDetails?.chargeAmount).toEqual({ amount: '42.50', currencyCode: 'USD' });
    expect(world.get<any>('charges', answer.chargeId).charge.statusDetails.state).toBe('Authorized');
  });

  it('answers like Complete with cartDetails right after paymentDetails', () => {
    const world = domainWorld();
    const { id, shippingAddress } = approvedSession(world);
    const keys = Object.keys(finalizeCheckoutSession(world.env(), id, { body: { shippingAddress, chargeAmount: usd('50.00'), paymentIntent: 'Confirm' } }).body as object);
    expect(keys[keys.indexOf('paymentDetails') + 1]).toBe('cartDetails');
  });

  it('needs chargeAmount and paymentIntent', () => {
    const world = domainWorld();
    const { id, shippingAddress } = approvedSession(world);
    expectAmazonError(() => finalizeCheckoutSession(world.env(), id, { body: { shippingAddress, paymentIntent: 'Authorize' } }), 'MissingParameterValue', 400);
    expectAmazonError(() => finalizeCheckoutSession(world.env(), id, { body: { shippingAddress, chargeAmount: usd('50.00') } }), 'MissingParameterValue', 400);
  });

  it('needs the shipping address the buyer chose, unchanged, for PayAndShip', () => {
    const world = domainWorld();
    const { id, shippingAddress } = approvedSession(world);
    const body = { chargeAmount: usd('50.00'), paymentIntent: 'Authorize' };
    expect(expectAmazonError(() => finalizeCheckoutSession(world.env(), id, { body }), 'MissingParameterValue').message).toContain('shippingAddress');
    const moved = { ...shippingAddress, city: 'Portland' };
    expect(expectAmazonError(() => finalizeCheckoutSession(world.env(), id, { body: { ...body, shippingAddress: moved } }), 'InvalidParameterValue').message).toContain('city');
  });

  it('compares the billing address instead for PayOnly', () => {
    const world = domainWorld();
    const { id, billingAddress } = approvedSession(world);
    const record = world.get<SessionRecord>('checkoutSessions', id);
    world.apply({ status: 200, body: null, writes: [sessionWrite({ ...record, session: { ...record.session, productType: 'PayOnly' } })] });
    const body = { chargeAmount: usd('50.00'), paymentIntent: 'Authorize' };
    expect(expectAmazonError(() => finalizeCheckoutSession(world.env(), id, { body }), 'MissingParameterValue').message).toContain('billingAddress');
    expect(finalizeCheckoutSession(world.env(), id, { body: { ...body, billingAddress } }).status).toBe(200);
  });

  it("refuses supplementaryData that differs from the session's", () => {
    const world = domainWorld();
    const { id, shippingAddress } = approvedSession(world, { supplementaryData: 'original' });
    const body = { shippingAddress, chargeAmount: usd('50.00'), paymentIntent: 'Authorize' };
    expectAmazonError(() => finalizeCheckoutSession(world.env(), id, { body: { ...body, supplementaryData: 'changed' } }), 'InvalidParameterValue');
    expect(finalizeCheckoutSession(world.env(), id, { body: { ...body, supplementaryData: 'original' } }).status).toBe(200);
  });

  it('answers 422 InvalidCheckoutSessionStatus to a second finalize, changing nothing', () => {
    const world = domainWorld();
    const { id, shippingAddress } = approvedSession(world);
    const body = { shippingAddress, chargeAmount: usd('50.00'), paymentIntent: 'Authorize' };
    world.apply(finalizeCheckoutSession(world.env(), id, { body }));
    const again = finalizeCheckoutSession(world.env(), id, { body });
    expect(again).toMatchObject({ status: 422, body: { reasonCode: 'InvalidCheckoutSessionStatus' }, writes: [] });
  });

  it('stays pending with a pending override: 202 and an AuthorizationInitiated charge', () => {
    const world = domainWorld();
    const { id, shippingAddress } = approvedSession(world);
    const body = { shippingAddress, chargeAmount: usd('50.00'), paymentIntent: 'Authorize', canHandlePendingAuthorization: true };
    const result = world.apply(finalizeCheckoutSession(world.env(), id, { body: body, override: { kind: 'pending', settleTo: 'Authorized', reasonCode: null } }));
    expect(result.status).toBe(202);
    const chargeId = (result.body as Record<string, any>).chargeId;
    expect(world.get<any>('charges', chargeId).charge.statusDetails.state).toBe('AuthorizationInitiated');
  });

  it.each(['3064', '3434'])('lets a simulation string override card %s, which canceled the session on return, as Complete does', (card) => {
    const world = domainWorld();
    const { id, shippingAddress } = approvedSession(world);
    const tools = { ids: world.ids, now: world.now, publicUrl: 'https://mock.test' };
    world.apply({ status: 200, body: null, writes: [sessionWrite(approveSession(world.get<SessionRecord>('checkoutSessions', id), { card }, tools))] });
    expect(world.get<SessionRecord>('checkoutSessions', id).session.statusDetails.state).toBe('Canceled');
    const body = { shippingAddress, chargeAmount: usd('50.00'), paymentIntent: 'Authorize', canHandlePendingAuthorization: true };
    const result = world.apply(finalizeCheckoutSession(world.env(), id, { body, override: { kind: 'pending', settleTo: 'Authorized', reasonCode: null } }));
    expect(result.status).toBe(202);
    expect(world.get<SessionRecord>('checkoutSessions', id).session.statusDetails.state).toBe('Completed');
    // Without a simulation string the card decides.
    const other = approvedSession(world);
    world.apply({ status: 200, body: null, writes: [sessionWrite(approveSession(world.get<SessionRecord>('checkoutSessions', other.id), { card }, tools))] });
    const refused = finalizeCheckoutSession(world.env(), other.id, { body: { ...body, shippingAddress: other.shippingAddress } });
    expect(refused).toMatchObject({ status: 422, body: { reasonCode: 'CheckoutSessionCanceled' } });
  });
});
