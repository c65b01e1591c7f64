import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';

/** The InStoreClient of the official Node SDK: merchant scan, charge, refund. */

const { InStoreClient } = createRequire(import.meta.url)('@amazonpay/amazon-pay-api-sdk-nodejs');
const suite = useLiveServer();
const client = () => new InStoreClient({ publicKeyId: demoKeyIds.sandbox, privateKey: demoPrivateKey, region: 'us', algorithm: 'AMZN-PAY-RSASSA-PSS-V2', overrideServiceUrl: suite.live.httpsHost });
const ref = () => randomUUID().replace(/-/g, '');
const usd = (amount: number | string) => ({ currencyCode: 'USD', amount });

async function scan(c = client()): Promise<string> {
  const scanned = await c.merchantScan({ scanData: 'UKhrmatMeKdlfY6b', scanReferenceId: ref(), merchantCOE: 'US', ledgerCurrency: 'USD', storeLocation: { countryCode: 'US' }, metadata: { merchantNote: 'Software Purchase', communicationContext: { merchantStoreName: 'TESTSTORE', merchantOrderId: '789123' } } });
  expect(scanned.status).toBe(200);
  expect(Object.keys(scanned.data)).toEqual(['chargePermissionId']);
  return scanned.data.chargePermissionId;
}

describe('InStoreClient', () => {
  it('scans, charges (Completed) and refunds (Pending), with the Node SDK test\'s answer keys', async () => {
    const c = client();
    const chargePermissionId = await scan(c);
    expect(chargePermissionId).toMatch(/^S01-\d{7}-\d{7}$/);
    const charged = await c.charge({ chargePermissionId, chargeReferenceId: ref(), chargeTotal: usd(2), softDescriptor: 'amzn-store' });
    expect(charged.status).toBe(200);
    expect(Object.keys(charged.data)).toEqual(['chargeId', 'chargeStatus']);
    expect(charged.data.chargeStatus).toEqual({ state: 'Completed' });
    expect(charged.data.chargeId).toMatch(new RegExp(`^${chargePermissionId}-C\\d{6}$`));
    const refunded = await c.refund({ chargeId: charged.data.chargeId, refundReferenceId: ref(), refundTotal: usd(1.5), softDescriptor: 'amzn-store' });
    expect(refunded.status).toBe(200);
    expect(Object.keys(refunded.data)).toEqual(['refundId', 'refundStatus']);
    expect(refunded.data.refundStatus).toEqual({ state: 'Pending' });
    expect(refunded.data.refundId).toMatch(new RegExp(`^${chargePermissionId}-R\\d{6}$`));
    const tooMuch = await sdkError(c.refund({ chargeId: charged.data.chargeId, refundReferenceId: ref(), refundTotal: usd('0.51') }));
    expect(tooMuch).toMatchObject({ status: 400, body: { reasonCode: 'TransactionAmountExceeded' } });
  });

  it('charges a scan once, in its ledger currency, and takes each reference id once', async () => {
    const c = client();
    const chargePermissionId = await scan(c);
    const currency = await sdkError(c.charge({ chargePermissionId, chargeReferenceId: ref(), chargeTotal: { currencyCode: 'EUR', amount: 2 } }));
    expect(currency).toMatchObject({ status: 400, body: { reasonCode: 'CurrencyMismatch' } });
    const reference = ref();
    await c.charge({ chargePermissionId, chargeReferenceId: reference, chargeTotal: usd(2) });
    const twice = await sdkError(c.charge({ chargePermissionId, chargeReferenceId: ref(), chargeTotal: usd(2) }));
    expect(twice).toMatchObject({ status: 422, body: { reasonCode: 'InvalidChargePermissionStatus' } });
    const sameReference = await sdkError(c.charge({ chargePermissionId: await scan(c), chargeReferenceId: reference, chargeTotal: usd(2) }));
    expect(sameReference).toMatchObject({ status: 400, body: { reasonCode: 'InvalidRequest' } });
    expect(await sdkError(c.charge({ chargePermissionId: 'S01-0000000-0000000', chargeReferenceId: ref(), chargeTotal: usd(2) }))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
    expect(await sdkError(c.refund({ chargeId: 'S01-0000000-0000000-C000000', refundReferenceId: ref(), refundTotal: usd(1) }))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
    expect(await sdkError(c.merchantScan({ scanReferenceId: ref(), merchantCOE: 'US', ledgerCurrency: 'USD' }))).toMatchObject({ status: 400, body: { reasonCode: 'MissingParameterValue' } });
    expect(await sdkError(c.merchantScan({ scanData: 'x', scanReferenceId: ref(), merchantCOE: 'USA', ledgerCurrency: 'USD' }))).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
  });
});
