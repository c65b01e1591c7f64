import { describe, expect, it } from 'vitest';
import { completeCheckoutSession, sparse } from '../../../server/domain/checkoutSession/completeCheckoutSession.js';
import { createCheckoutSession } from '../../../server/domain/checkoutSession/createCheckoutSession.js';
import { getCheckoutSession } from '../../../server/domain/checkoutSession/getCheckoutSession.js';
import { updateCheckoutSession } from '../../../server/domain/checkoutSession/updateCheckoutSession.js';
import { AmazonPayError } from '../../../server/domain/errors.js';
import { settleRecord } from '../../../server/domain/settleRecord.js';
import { createCharge } from '../../../server/domain/charge/createCharge.js';
import { closeChargePermission } from '../../../server/domain/chargePermission/chargePermissionOperations.js';
import { thrownAmazonError } from '../../helpers/amazonError.js';
import { domainWorld } from '../../helpers/domainEnv.js';
import { readySessionBody } from '../../helpers/testApp.js';


function ready(world = domainWorld(), paymentDetails: Record<string, unknown> = {}) {
  const body = readySessionBody({ paymentDetails: { paymentIntent: 'Authorize', chargeAmount: { amount: '50.00', currencyCode: 'USD' }, ...paymentDetails } });
  const id = world.apply(createCheckoutSession(world.env(), body)).body.checkoutSessionId;
  return { world, id };
}

describe('createCheckoutSession', () => {
  it('lists every missing piece as a constraint when only the required fields are sent', () => {
    const world = domainWorld({ buyerApproval: 'manual' });
    const created = createCheckoutSession(world.env(), { storeId: 'amzn1.application-oa2-client.abc', webCheckoutDetails: { checkoutReviewReturnUrl: 'https://m.example/r' } });
    expect(created.status).toBe(201);
    expect(created.body.constraints!.map((c) => c.constraintId)).toEqual(['CheckoutResultReturnUrlNotSet', 'ChargeAmountNotSet', 'PaymentIntentNotSet', 'BuyerNotAssociated']);
    expect(created.body.webCheckoutDetails!.amazonPayRedirectUrl).toBeNull();
    expect(created.body.paymentPreferences).toEqual([null]);
    expect(created.body.expirationTimestamp).toBe('20260116T120000Z');
  });

  it('requires checkoutResultReturnUrl instead of the review URL in ProcessOrder mode', () => {
    const world = domainWorld();
    const err = thrownAmazonError(() => createCheckoutSession(world.env(), { storeId: 'amzn1.application-oa2-client.abc', webCheckoutDetails: { checkoutMode: 'ProcessOrder' } }));
    expect(err.reasonCode).toBe('MissingParameterValue');
    expect(err.message).toContain('checkoutResultReturnUrl');
  });

  it('sets the redirect URL once nothing is missing', () => {
    const { world, id } = ready();
    const session = world.get<any>('checkoutSessions', id).session;
    expect(session.constraints).toEqual([]);
    expect(session.webCheckoutDetails.amazonPayRedirectUrl).toBe(`https://mock.test/checkout/processing?amazonCheckoutSessionId=${id}`);
  });
});

describe('updateCheckoutSession', () => {
  it('keeps fields that are not sent and normalises amounts', () => {
    const { world, id } = ready();
    const updated = world.apply(updateCheckoutSession(world.env(), id, { paymentDetails: { chargeAmount: { amount: 12, currencyCode: 'USD' } } }));
    expect(updated.body.paymentDetails!.paymentIntent).toBe('Authorize');
    expect(updated.body.paymentDetails!.chargeAmount).toEqual({ amount: '12.00', currencyCode: 'USD' });
    expect(updated.body.merchantMetadata!.merchantReferenceId).toBe('order-1');
  });

  it('refuses to update a completed session with 422 InvalidCheckoutSessionStatus', () => {
    const { world, id } = ready();
    world.apply(completeCheckoutSession(world.env(), id, { body: { chargeAmount: { amount: '50', currencyCode: 'USD' } } }));
    expect(thrownAmazonError(() => updateCheckoutSession(world.env(), id, {})).reasonCode).toBe('InvalidCheckoutSessionStatus');
  });
});

describe('completeCheckoutSession', () => {
  it('compares amounts numerically: 50, "50" and "50.00" all match', () => {
    for (const amount of [50, '50', '50.00']) {
      const { world, id } = ready();
      expect(completeCheckoutSession(world.env(), id, { body: { chargeAmount: { amount, currencyCode: 'USD' } } }).status).toBe(200);
    }
  });

  it.each([
    ['a different amount', { chargeAmount: { amount: '50.01', currencyCode: 'USD' } }, 'AmountMismatch'],
    ['a different currency', { chargeAmount: { amount: '50.00', currencyCode: 'EUR' } }, 'AmountMismatch'],
    ['no chargeAmount', {}, 'MissingParameterValue'],
  ])('rejects %s', (_label, body, code) => {
    const { world, id } = ready();
    const err = thrownAmazonError(() => completeCheckoutSession(world.env(), id, { body }));
    expect(err.reasonCode).toBe(code);
    expect(world.get<any>('checkoutSessions', id).session.statusDetails.state).toBe('Open');
  });

  it('requires totalOrderAmount when the session has one, and it must match', () => {
    const { world, id } = ready(domainWorld(), { totalOrderAmount: { amount: '80.00', currencyCode: 'USD' } });
    expect(thrownAmazonError(() => completeCheckoutSession(world.env(), id, { body: { chargeAmount: { amount: '50', currencyCode: 'USD' } } })).reasonCode).toBe('MissingParameterValue');
    expect(
      thrownAmazonError(() => completeCheckoutSession(world.env(), id, { body: { chargeAmount: { amount: '50', currencyCode: 'USD' }, totalOrderAmount: { amount: '70', currencyCode: 'USD' } } })).reasonCode,
    ).toBe('AmountMismatch');
    const ok = completeCheckoutSession(world.env(), id, { body: { chargeAmount: { amount: '50', currencyCode: 'USD' }, totalOrderAmount: { amount: 80, currencyCode: 'USD' } } });
    expect(ok.status).toBe(200);
  });

  it('makes the OneTime permission NonChargeable/ChargeInProgress with an Authorized charge, limit = order total', () => {
    const { world, id } = ready(domainWorld(), { totalOrderAmount: { amount: '80.00', currencyCode: 'USD' } });
    const result = world.apply(completeCheckoutSession(world.env(), id, { body: { chargeAmount: { amount: '50', currencyCode: 'USD' }, totalOrderAmount: { amount: '80', currencyCode: 'USD' } } }));
    const body = result.body as any;
    const permission = world.get<any>('chargePermissions', body.chargePermissionId).chargePermission;
    expect(permission.statusDetails.state).toBe('NonChargeable');
    expect(permission.statusDetails.reasons).toEqual([{ reasonCode: 'ChargeInProgress', reasonDescription: expect.stringContaining('already in progress') }]);
    expect(permission.limits).toEqual({ amountLimit: { amount: '80.00', currencyCode: 'USD' }, amountBalance: { amount: '80.00', currencyCode: 'USD' } });
    expect(permission.expirationTimestamp).toBe('20260714T120000Z');
    const charge = world.get<any>('charges', body.chargeId).charge;
    expect(charge).toMatchObject({ chargeAmount: { amount: '50.00', currencyCode: 'USD' }, captureAmount: null, refundedAmount: null, expirationTimestamp: '20260214T120000Z' });
  });

  it('refuses a charge at completion above the order total (400 TransactionAmountExceeded), changing nothing, so nothing is captured past amountLimit', () => {
    const usd = (amount: string) => ({ amount, currencyCode: 'USD' });
    for (const paymentIntent of ['AuthorizeWithCapture', 'Authorize']) {
      const { world, id } = ready(domainWorld(), { paymentIntent, chargeAmount: usd('100.00'), totalOrderAmount: usd('50.00') });
      const err = thrownAmazonError(() => completeCheckoutSession(world.env(), id, { body: { chargeAmount: usd('100.00'), totalOrderAmount: usd('50.00') } }));
      expect(err.reasonCode).toBe('TransactionAmountExceeded');
      expect(err.status).toBe(400);
      expect(world.get<any>('checkoutSessions', id).session.statusDetails.state).toBe('Open');
    }
    // Equal to the order total, or within an allowOvercharge limit, still completes.
    const { world, id } = ready(domainWorld(), { paymentIntent: 'AuthorizeWithCapture', chargeAmount: usd('100.00'), totalOrderAmount: usd('100.00') });
    const body = world.apply(completeCheckoutSession(world.env(), id, { body: { chargeAmount: usd('100'), totalOrderAmount: usd('100') } })).body as any;
    expect(world.get<any>('chargePermissions', body.chargePermissionId).chargePermission.limits.amountBalance).toEqual(usd('0.00'));
    const over = ready(domainWorld(), { paymentIntent: 'AuthorizeWithCapture', allowOvercharge: true, chargeAmount: usd('300.00'), totalOrderAmount: usd('50.00') });
    const overBody = over.world.apply(completeCheckoutSession(over.world.env(), over.id, { body: { chargeAmount: usd('300'), totalOrderAmount: usd('50') } })).body as any;
    expect(over.world.get<any>('chargePermissions', overBody.chargePermissionId).chargePermission.limits).toEqual({ amountLimit: usd('500.00'), amountBalance: usd('200.00') });
  });

  it('raises the limit with allowOvercharge to max(9x, 500)', () => {
    const { world, id } = ready(domainWorld(), { allowOvercharge: true, paymentIntent: 'Confirm' });
    const body = world.apply(completeCheckoutSession(world.env(), id, { body: { chargeAmount: { amount: '50', currencyCode: 'USD' } } })).body as any;
    expect(world.get<any>('chargePermissions', body.chargePermissionId).chargePermission.limits.amountLimit.amount).toBe('500.00');
  });

  it('gives 13-month expiry with extendExpiration', () => {
    const { world, id } = ready(domainWorld(), { extendExpiration: true, paymentIntent: 'Confirm' });
    const body = world.apply(completeCheckoutSession(world.env(), id, { body: { chargeAmount: { amount: '50', currencyCode: 'USD' } } })).body as any;
    expect(world.get<any>('chargePermissions', body.chargePermissionId).chargePermission.expirationTimestamp).toBe('20270215T120000Z');
  });

  it('answers with the sparse session: every key present, only the completion facts filled', () => {
    const { world, id } = ready();
    const body = completeCheckoutSession(world.env(), id, { body: { chargeAmount: { amount: '50', currencyCode: 'USD' } } }).body as any;
    const filled = Object.entries(body).filter(([, v]) => v !== null).map(([k]) => k);
    expect(filled).toEqual(['checkoutSessionId', 'statusDetails', 'chargePermissionId', 'chargeId', 'creationTimestamp']);
    expect(Object.keys(body)).toHaveLength(28);
  });

  it('expires an Open session at exactly 24 hours and not a millisecond before', () => {
    const { world, id } = ready();
    world.advance(24 * 3600_000 - 1);
    expect(getCheckoutSession(world.env(), id).body.statusDetails.state).toBe('Open');
    world.advance(1);
    const got = getCheckoutSession(world.env(), id);
    expect(got.body.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'Expired', lastUpdatedTimestamp: '20260116T120000Z' });
    expect(got.writes).toHaveLength(1);
  });

  it('settles a due expiry through settleRecord as the scheduler does', () => {
    const { world, id } = ready();
    world.advance(25 * 3600_000);
    const writes = settleRecord(world.env().state, { collection: 'checkoutSessions', id }, { now: world.now, publicUrl: 'https://mock.test' });
    expect((writes[0]!.value as any).session.statusDetails.reasonCode).toBe('Expired');
    // Next due: its deletion 30 days after creation (Checkout Session page).
    const createdAt = (writes[0]!.value as any).meta.createdAt as number;
    expect(writes[0]!.dueAt).toBe(createdAt + 30 * 24 * 3600_000);
  });

  it('expires an authorization unused for 30 days: Canceled/ExpiredUnused, permission Chargeable again', () => {
    const { world, id } = ready();
    const body = world.apply(completeCheckoutSession(world.env(), id, { body: { chargeAmount: { amount: '50', currencyCode: 'USD' } } })).body as any;
    world.advance(30 * 24 * 3600_000);
    for (const w of settleRecord(world.env().state, { collection: 'charges', id: body.chargeId }, { now: world.now, publicUrl: 'https://mock.test' })) world.apply({ status: 200, body: null, writes: [w] });
    expect(world.get<any>('charges', body.chargeId).charge.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'ExpiredUnused' });
    expect(world.get<any>('chargePermissions', body.chargePermissionId).chargePermission.statusDetails.state).toBe('Chargeable');
  });
});

describe('sparse', () => {
  const shaped = (keys: string[]) => Object.freeze(Object.fromEntries(keys.map((k) => [k, `${k}-value`]))) as any;

  it('keeps every key of the session in its order, null but for the completion facts', () => {
    const { world, id } = ready();
    const session = world.get<any>('checkoutSessions', id).session;
    const answer = sparse(session) as any;
    expect(Object.keys(answer)).toEqual(Object.keys(session));
    for (const key of Object.keys(session)) {
      const kept = ['checkoutSessionId', 'statusDetails', 'chargePermissionId', 'chargeId', 'creationTimestamp'].includes(key);
      expect(answer[key]).toBe(kept ? session[key] : null);
    }
  });

  it('follows each session\'s own keys when sessions of different shapes alternate, adding missing facts at the end', () => {
    const a = shaped(['checkoutSessionId', 'paymentDetails', 'statusDetails', 'chargePermissionId', 'chargeId', 'creationTimestamp', 'tokens']);
    const b = shaped(['tokens', 'checkoutSessionId', 'buyer']);
    for (let round = 0; round < 2; round++) {
      expect(JSON.stringify(sparse(a))).toBe(
        JSON.stringify({ checkoutSessionId: 'checkoutSessionId-value', paymentDetails: null, statusDetails: 'statusDetails-value', chargePermissionId: 'chargePermissionId-value', chargeId: 'chargeId-value', creationTimestamp: 'creationTimestamp-value', tokens: null }),
      );
      expect(JSON.stringify(sparse(b))).toBe(
        JSON.stringify({ tokens: null, checkoutSessionId: 'checkoutSessionId-value', buyer: null, statusDetails: undefined, chargePermissionId: undefined, chargeId: undefined, creationTimestamp: undefined }),
      );
      expect(Object.keys(sparse(b))).toEqual(['tokens', 'checkoutSessionId', 'buyer', 'statusDetails', 'chargePermissionId', 'chargeId', 'creationTimestamp']);
    }
  });

  it('hands out a fresh object each time', () => {
    const a = shaped(['checkoutSessionId', 'buyer']);
    const first = sparse(a) as any;
    first.buyer = 'changed';
    expect((sparse(a) as any).buyer).toBeNull();
  });
});

describe('a session naming a Saved Wallet Charge Permission (Amazon Pay hosted update page)', () => {
  const DAY_MS = 24 * 3600_000;
  const setupOnly = { chargePermissionType: 'PaymentMethodOnFile', paymentMethodOnFileMetadata: { setupOnly: true }, paymentDetails: null };

  /** A Saved Wallet permission with one captured charge, NonChargeable/PaymentMethodInvalid after a hard decline. */
  function declinedSavedWallet(world = domainWorld()) {
    const setupId = world.apply(createCheckoutSession(world.env(), readySessionBody(setupOnly))).body.checkoutSessionId;
    const chargePermissionId = (world.apply(completeCheckoutSession(world.env(), setupId, { body: {} })).body as any).chargePermissionId as string;
    const charge = world.apply(createCharge(world.env(), { body: { chargePermissionId, chargeAmount: { amount: '10.00', currencyCode: 'USD' }, captureNow: true } })).body as any;
    world.apply(createCharge(world.env(), { body: { chargePermissionId, chargeAmount: { amount: '10.00', currencyCode: 'USD' } }, override: { kind: 'decline', reasonCode: 'HardDeclined' } }));
    expect(world.get<any>('chargePermissions', chargePermissionId).chargePermission.statusDetails.reasons).toMatchObject([{ reasonCode: 'PaymentMethodInvalid' }]);
    return { world, chargePermissionId, chargeId: charge.chargeId as string };
  }

  it('updates that permission on completion instead of replacing it: same record, its charges kept, Chargeable again', () => {
    const { world, chargePermissionId, chargeId } = declinedSavedWallet();
    const before = world.get<any>('chargePermissions', chargePermissionId);
    world.advance(DAY_MS);
    const updateId = world.apply(createCheckoutSession(world.env(), readySessionBody({ ...setupOnly, chargePermissionId }))).body.checkoutSessionId;
    const done = world.apply(completeCheckoutSession(world.env(), updateId, { body: {} }));
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ chargePermissionId, chargeId: null });
    const after = world.get<any>('chargePermissions', chargePermissionId);
    expect(after.chargePermission.creationTimestamp).toBe(before.chargePermission.creationTimestamp);
    expect(after.chargePermission.statusDetails).toMatchObject({ state: 'Chargeable', reasons: null });
    expect(after.meta.chargeCount).toBe(before.meta.chargeCount);
    expect(world.get<any>('charges', chargeId).charge.chargePermissionId).toBe(chargePermissionId);
  });

  it.each([
    ['an unknown id', () => ({ id: 'S01-0000000-0000000', body: setupOnly })],
    ['a OneTime permission', (world: ReturnType<typeof domainWorld>) => {
      const id = world.apply(createCheckoutSession(world.env(), readySessionBody({ paymentDetails: { paymentIntent: 'Confirm', chargeAmount: { amount: '5.00', currencyCode: 'USD' } } }))).body.checkoutSessionId;
      return { id: (world.apply(completeCheckoutSession(world.env(), id, { body: { chargeAmount: { amount: '5.00', currencyCode: 'USD' } } })).body as any).chargePermissionId, body: setupOnly };
    }],
    ['a Saved Wallet permission from a session that is not PaymentMethodOnFile', (world: ReturnType<typeof domainWorld>) => ({ id: declinedSavedWallet(world).chargePermissionId, body: {} })],
  ])('is refused on Create Checkout Session for %s (400 InvalidParameterValue), creating nothing', (_label, make) => {
    const world = domainWorld();
    const { id, body } = make(world);
    const before = world.env().state.list('checkoutSessions').length;
    const err = thrownAmazonError(() => createCheckoutSession(world.env(), readySessionBody({ ...body, chargePermissionId: id })));
    expect({ reasonCode: err.reasonCode, status: err.status }).toEqual({ reasonCode: 'InvalidParameterValue', status: 400 });
    expect(err.message).toContain('chargePermissionId');
    expect(world.env().state.list('checkoutSessions')).toHaveLength(before);
  });

  it('is refused for a Closed permission, at creation and when it closed before completion (422 InvalidChargePermissionStatus)', () => {
    const { world, chargePermissionId } = declinedSavedWallet();
    const updateId = world.apply(createCheckoutSession(world.env(), readySessionBody({ ...setupOnly, chargePermissionId }))).body.checkoutSessionId;
    world.apply(closeChargePermission(world.env(), chargePermissionId, { body: {} }));
    const closed = world.get<any>('chargePermissions', chargePermissionId);
    expect(thrownAmazonError(() => createCheckoutSession(world.env(), readySessionBody({ ...setupOnly, chargePermissionId }))).reasonCode).toBe('InvalidChargePermissionStatus');
    const err = thrownAmazonError(() => completeCheckoutSession(world.env(), updateId, { body: {} }));
    expect({ reasonCode: err.reasonCode, status: err.status }).toEqual({ reasonCode: 'InvalidChargePermissionStatus', status: 422 });
    expect(world.get<any>('chargePermissions', chargePermissionId)).toBe(closed);
    expect(world.get<any>('checkoutSessions', updateId).session.statusDetails.state).toBe('Open');
  });
});
