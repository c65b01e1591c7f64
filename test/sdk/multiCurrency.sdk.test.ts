import { describe, expect, it } from 'vitest';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import { idem, readySession, usd } from './flows.js';

/**
 * Amazon's "Multi-currency integration" page: merchants with an EUR or GBP ledger may charge in
 * another supported currency; Amazon converts nothing for them, and the Charge reports the ledger
 * value as convertedAmount and conversionRate. The mock takes the rates from a fixed table.
 */
const suite = useLiveServer({ conversionRates: ['USD=0.92', 'CHF=1.05'] });
const money = (amount: string, currencyCode: string) => ({ amount, currencyCode });

async function euPermission(eu: any, amount: { amount: string; currencyCode: string }, intent: 'Confirm' | 'Authorize' = 'Confirm') {
  const sessionId = await readySession(eu, { intent, paymentDetails: { chargeAmount: amount, presentmentCurrency: amount.currencyCode } });
  const completed = await eu.completeCheckoutSession(sessionId, { chargeAmount: amount });
  expect(completed.status).toBe(200);
  return completed.data as { chargePermissionId: string; chargeId: string | null };
}

describe('multi-currency charges for EU/UK merchants (Multi-currency integration)', () => {
  it('fills convertedAmount (EUR) and conversionRate on a CHF charge, rounded half up, and keeps them on Get Charge', async () => {
    const eu = suite.live.sdk({ region: 'eu' });
    const { chargePermissionId } = await euPermission(eu, money('10.05', 'CHF'));
    const created = await eu.createCharge({ chargePermissionId, chargeAmount: money('10.05', 'CHF'), captureNow: true }, idem());
    expect(created.status).toBe(201);
    expect(created.data.chargeAmount).toEqual(money('10.05', 'CHF'));
    expect(created.data.convertedAmount).toEqual(money('10.55', 'EUR'));
    expect(created.data.conversionRate).toBe('1.05');
    const read = await eu.getCharge(created.data.chargeId);
    expect(read.data).toMatchObject({ convertedAmount: money('10.55', 'EUR'), conversionRate: '1.05' });
  });

  it('fills them on the charge made when a USD session is completed', async () => {
    const eu = suite.live.sdk({ region: 'eu' });
    const { chargeId } = await euPermission(eu, money('100.00', 'USD'), 'Authorize');
    const charge = await eu.getCharge(chargeId);
    expect(charge.data).toMatchObject({ chargeAmount: money('100.00', 'USD'), convertedAmount: money('92.00', 'EUR'), conversionRate: '0.92' });
  });

  it('leaves both null for a charge in the ledger currency, and for a currency the table has no rate for', async () => {
    const eu = suite.live.sdk({ region: 'eu' });
    for (const currency of ['EUR', 'SEK']) {
      const { chargeId } = await euPermission(eu, money('20.00', currency), 'Authorize');
      const charge = await eu.getCharge(chargeId);
      expect(charge.data.chargeAmount.currencyCode).toBe(currency);
      expect(charge.data.convertedAmount).toBeNull();
      expect(charge.data.conversionRate).toBeNull();
    }
  });

  it('still refuses a currency other than the ledger currency for a US merchant (400 CurrencyMismatch)', async () => {
    const err = await sdkError(readySession(suite.client, { intent: 'Authorize', paymentDetails: { chargeAmount: money('10.00', 'CHF') } }));
    expect(err.status).toBe(400);
    expect(err.body.reasonCode).toBe('CurrencyMismatch');
    const { chargeId } = await (async () => {
      const id = await readySession(suite.client, { intent: 'Authorize', amount: '10.00' });
      return (await suite.client.completeCheckoutSession(id, { chargeAmount: usd('10.00') })).data;
    })();
    expect((await suite.client.getCharge(chargeId)).data.convertedAmount).toBeNull();
  });
});
