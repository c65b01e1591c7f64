import { describe, expect, it } from 'vitest';
import { approveSession } from '../../../server/domain/checkoutSession/approveSession.js';
import { createCheckoutSession } from '../../../server/domain/checkoutSession/createCheckoutSession.js';
import type { SessionRecord } from '../../../server/domain/checkoutSession/sessionRecord.js';
import { domainWorld } from '../../helpers/domainEnv.js';
import { readySessionBody } from '../../helpers/testApp.js';

describe('multi-address checkout', () => {
  const multi = [{ addressId: 'home', price: { amount: 10, currencyCode: 'USD' } }, { addressId: 'office', price: { amount: '40.00', currencyCode: 'USD' } }];

  it('answers shippingAddressList as JSON strings after shippingAddress once the buyer is approved', () => {
    const world = domainWorld({ buyerApproval: 'manual' });
    const created = world.apply(createCheckoutSession(world.env(), readySessionBody({ multiAddressesCheckoutMetadata: multi })));
    const keys = Object.keys(created.body);
    expect(keys.slice(keys.indexOf('shippingAddress'), keys.indexOf('shippingAddress') + 3)).toEqual(['shippingAddress', 'shippingAddressList', 'multiAddressesCheckoutMetadata']);
    expect(created.body.shippingAddressList).toBeNull();
    expect(created.body.multiAddressesCheckoutMetadata).toEqual([
      { addressId: 'home', price: { amount: '10.00', currencyCode: 'USD' } },
      { addressId: 'office', price: { amount: '40.00', currencyCode: 'USD' } },
    ]);
    const record = world.get<SessionRecord>('checkoutSessions', created.body.checkoutSessionId);
    const approved = approveSession(record, { card: '1111' }, { ids: world.ids, now: world.now, publicUrl: 'https://mock.test' });
    const list = approved.session.shippingAddressList!;
    expect(list).toHaveLength(2);
    expect(list.every((entry) => typeof entry === 'string')).toBe(true);
    expect(JSON.parse(list[1]!)).toMatchObject({ addressId: 'office', countryCode: 'US' });
  });

  it('leaves ordinary sessions without the multi-address keys', () => {
    const world = domainWorld();
    const created = createCheckoutSession(world.env(), readySessionBody());
    expect(Object.keys(created.body)).not.toContain('shippingAddressList');
    expect(Object.keys(created.body)).toHaveLength(28);
  });
});

describe('multi-address input', () => {
  it('requires an addressId in every entry', async () => {
    const { AmazonPayError } = await import('../../../server/domain/errors.js');
    const world = domainWorld();
    expect(() => createCheckoutSession(world.env(), readySessionBody({ multiAddressesCheckoutMetadata: [{ price: { amount: 1, currencyCode: 'USD' } }] }))).toThrow(AmazonPayError);
  });
});
