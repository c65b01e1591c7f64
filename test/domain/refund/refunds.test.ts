import { describe, expect, it } from 'vitest';
import { captureCharge } from '../../../server/domain/charge/captureCharge.js';
import { getCharge } from '../../../server/domain/charge/chargeOperations.js';
import { AmazonPayError } from '../../../server/domain/errors.js';
import { createRefund, getRefund, refundAllowanceMinor } from '../../../server/domain/refund/refundOperations.js';
import { domainWorld } from '../../helpers/domainEnv.js';
import { completedCheckout } from '../../helpers/domainFlows.js';

const usd = (amount: string) => ({ amount, currencyCode: 'USD' });

function captured(amount = '100') {
  const world = domainWorld();
  const { chargeId } = completedCheckout(world);
  world.apply(captureCharge(world.env(), chargeId!, { body: { captureAmount: usd(amount) } }));
  return { world, chargeId: chargeId! };
}

describe('refunds', () => {
  it.each([
    [10_000, 'USD', 11_500],
    [100_000, 'USD', 107_500],
    [100_000, 'JPY', 108_400],
    [1_000, 'JPY', 1_150],
  ])('allows %i minor units of %s captured to be refunded up to %i', (capturedMinor, currency, allowed) => {
    expect(refundAllowanceMinor(capturedMinor, currency)).toBe(allowed);
  });

  it('starts RefundInitiated, settles to Refunded after the delay, and adds to refundedAmount', () => {
    const { world, chargeId } = captured();
    const created = world.apply(createRefund(world.env(), { body: { chargeId, refundAmount: usd('30') } }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ chargeId, refundAmount: usd('30.00'), statusDetails: { state: 'RefundInitiated' }, releaseEnvironment: 'Sandbox' });
    expect(created.body.refundId).toMatch(new RegExp(`^${chargeId.replace(/-C\d{6}$/, '')}-R\\d{6}$`));
    expect(getRefund(world.env(), created.body.refundId).body.statusDetails.state).toBe('RefundInitiated');
    world.advance(30_000);
    world.apply(getRefund(world.env(), created.body.refundId));
    expect(getRefund(world.env(), created.body.refundId).body.statusDetails.state).toBe('Refunded');
    expect(getCharge(world.env(), chargeId).body.refundedAmount).toEqual(usd('30.00'));
  });

  it('counts pending refunds against the limit: 100 captured allows 115 in all', () => {
    const { world, chargeId } = captured();
    world.apply(createRefund(world.env(), { body: { chargeId, refundAmount: usd('100') } }));
    world.apply(createRefund(world.env(), { body: { chargeId, refundAmount: usd('15') } }));
    const err = (() => {
      try {
        createRefund(world.env(), { body: { chargeId, refundAmount: usd('0.01') } });
      } catch (e) {
        return e as AmazonPayError;
      }
      return null;
    })();
    expect(err?.reasonCode).toBe('TransactionAmountExceeded');
  });

  it('gives a declined refund\'s amount back', () => {
    const { world, chargeId } = captured();
    const declined = world.apply(createRefund(world.env(), { body: { chargeId, refundAmount: usd('115') }, override: { kind: 'refundDeclined', reasonCode: 'AmazonRejected' } }));
    world.advance(30_000);
    world.apply(getRefund(world.env(), declined.body.refundId));
    expect(getRefund(world.env(), declined.body.refundId).body.statusDetails).toMatchObject({ state: 'Declined', reasonCode: 'AmazonRejected' });
    expect(createRefund(world.env(), { body: { chargeId, refundAmount: usd('115') } }).status).toBe(201);
  });

  it('refuses to refund a charge that is not Captured', () => {
    const world = domainWorld();
    const { chargeId } = completedCheckout(world);
    expect(() => createRefund(world.env(), { body: { chargeId, refundAmount: usd('1') } })).toThrow(/only a Captured charge/);
  });

  it('allows 10 refunds per charge, then TransactionCountExceeded', () => {
    const { world, chargeId } = captured();
    for (let i = 0; i < 10; i++) world.apply(createRefund(world.env(), { body: { chargeId, refundAmount: usd('1') } }));
    expect(() => createRefund(world.env(), { body: { chargeId, refundAmount: usd('1') } })).toThrow(AmazonPayError);
  });
});
