import { describe, expect, it } from 'vitest';
import { createCheckoutSession } from '../../../server/domain/checkoutSession/createCheckoutSession.js';
import { updateCheckoutSession } from '../../../server/domain/checkoutSession/updateCheckoutSession.js';
import { expectAmazonError } from '../../helpers/amazonError.js';
import { domainWorld } from '../../helpers/domainEnv.js';
import { readySessionBody } from '../../helpers/testApp.js';

const jpy = (amount: string) => ({ amount, currencyCode: 'JPY' });

describe('paymentDetails.softDescriptor in JP (Charge, Refund: not supported in JP)', () => {
  it('is refused on Create Checkout Session, so no JP charge made at completion carries one', () => {
    const world = domainWorld({ region: 'jp' });
    const body = readySessionBody({ paymentDetails: { paymentIntent: 'AuthorizeWithCapture', chargeAmount: jpy('500'), softDescriptor: 'SHOP' } });
    const err = expectAmazonError(() => createCheckoutSession(world.env(), body), 'InvalidParameterValue', 400);
    expect(err.message).toContain('softDescriptor');
  });

  it('is refused on Update Checkout Session, and the session is left as it was', () => {
    const world = domainWorld({ region: 'jp' });
    const created = world.apply(createCheckoutSession(world.env(), readySessionBody({ paymentDetails: { paymentIntent: 'AuthorizeWithCapture', chargeAmount: jpy('500') } })));
    const id = created.body.checkoutSessionId;
    expectAmazonError(() => updateCheckoutSession(world.env(), id, { paymentDetails: { softDescriptor: 'SHOP' } }), 'InvalidParameterValue', 400);
    expect(world.get<any>('checkoutSessions', id).session.paymentDetails.softDescriptor).toBeNull();
  });

  it('is accepted in NA', () => {
    const world = domainWorld();
    const body = readySessionBody({ paymentDetails: { paymentIntent: 'AuthorizeWithCapture', chargeAmount: { amount: '5.00', currencyCode: 'USD' }, softDescriptor: 'SHOP' } });
    expect(createCheckoutSession(world.env(), body).body.paymentDetails!.softDescriptor).toBe('SHOP');
  });
});

describe('allowOvercharge and extendExpiration are set when the session is created ("Advanced one-time payment options")', () => {
  const usd = (amount: string) => ({ amount, currencyCode: 'USD' });

  it.each(['allowOvercharge', 'extendExpiration'] as const)('Update Checkout Session cannot turn %s on; the session is left as it was', (field) => {
    const world = domainWorld();
    const id = world.apply(createCheckoutSession(world.env(), readySessionBody())).body.checkoutSessionId;
    const err = expectAmazonError(() => updateCheckoutSession(world.env(), id, { paymentDetails: { [field]: true } }), 'InvalidParameterValue', 400);
    expect(err.message).toContain(field);
    expect(world.get<any>('checkoutSessions', id).session.paymentDetails[field]).toBe(false);
  });

  it.each(['allowOvercharge', 'extendExpiration'] as const)('Update Checkout Session cannot turn %s off once created with it', (field) => {
    const world = domainWorld();
    const body = readySessionBody({ paymentDetails: { paymentIntent: 'Authorize', chargeAmount: usd('50.00'), [field]: true } });
    const id = world.apply(createCheckoutSession(world.env(), body)).body.checkoutSessionId;
    expectAmazonError(() => updateCheckoutSession(world.env(), id, { paymentDetails: { [field]: false } }), 'InvalidParameterValue', 400);
  });

  it('accepts the value the session already has, so a merchant may send its whole paymentDetails again', () => {
    const world = domainWorld();
    const body = readySessionBody({ paymentDetails: { paymentIntent: 'Authorize', chargeAmount: usd('50.00'), extendExpiration: true } });
    const id = world.apply(createCheckoutSession(world.env(), body)).body.checkoutSessionId;
    const updated = updateCheckoutSession(world.env(), id, { paymentDetails: { chargeAmount: usd('60.00'), extendExpiration: true, allowOvercharge: false } });
    expect(updated.body.paymentDetails).toMatchObject({ chargeAmount: usd('60.00'), extendExpiration: true, allowOvercharge: false });
  });
});

describe('every amount of a session is in a currency the merchant may use (README: NA USD only, JP JPY only)', () => {
  const recurring = (amount: { amount: string; currencyCode: string }) => ({ frequency: { unit: 'Month', value: '1' }, amount });

  it('refuses recurringMetadata.amount or a multi-address price in another currency on Create Checkout Session (400 CurrencyMismatch)', () => {
    const world = domainWorld();
    expectAmazonError(() => createCheckoutSession(world.env(), readySessionBody({ chargePermissionType: 'Recurring', recurringMetadata: recurring({ amount: '10', currencyCode: 'EUR' }) })), 'CurrencyMismatch', 400);
    expectAmazonError(
      () => createCheckoutSession(world.env(), readySessionBody({ multiAddressesCheckoutMetadata: [{ addressId: 'a1', price: jpy('10') }] })),
      'CurrencyMismatch',
      400,
    );
    const jp = domainWorld({ region: 'jp' });
    const body = readySessionBody({ chargePermissionType: 'Recurring', recurringMetadata: recurring({ amount: '10', currencyCode: 'USD' }), paymentDetails: { paymentIntent: 'Confirm', chargeAmount: jpy('500') } });
    expectAmazonError(() => createCheckoutSession(jp.env(), body), 'CurrencyMismatch', 400);
    // The ledger currency, and any supported one in EU, is accepted.
    const ok = createCheckoutSession(world.env(), readySessionBody({ chargePermissionType: 'Recurring', recurringMetadata: recurring({ amount: '10', currencyCode: 'USD' }) }));
    expect(ok.body.recurringMetadata!.amount).toEqual({ amount: '10.00', currencyCode: 'USD' });
    const eu = domainWorld({ region: 'eu' });
    const euBody = readySessionBody({ chargePermissionType: 'Recurring', recurringMetadata: recurring({ amount: '10', currencyCode: 'GBP' }), paymentDetails: { paymentIntent: 'Confirm', chargeAmount: { amount: '10', currencyCode: 'GBP' } } });
    expect(createCheckoutSession(eu.env(), euBody).status).toBe(201);
  });

  it('refuses them on Update Checkout Session too, leaving the session as it was', () => {
    const world = domainWorld();
    const created = world.apply(createCheckoutSession(world.env(), readySessionBody({ chargePermissionType: 'Recurring', recurringMetadata: recurring({ amount: '10', currencyCode: 'USD' }) })));
    const id = created.body.checkoutSessionId;
    expectAmazonError(() => updateCheckoutSession(world.env(), id, { recurringMetadata: recurring({ amount: '10', currencyCode: 'GBP' }) }), 'CurrencyMismatch', 400);
    expectAmazonError(() => updateCheckoutSession(world.env(), id, { multiAddressesCheckoutMetadata: [{ addressId: 'a1', price: { amount: '1', currencyCode: 'EUR' } }] }), 'CurrencyMismatch', 400);
    expect(world.get<any>('checkoutSessions', id).session.recurringMetadata.amount).toEqual({ amount: '10.00', currencyCode: 'USD' });
  });
});
