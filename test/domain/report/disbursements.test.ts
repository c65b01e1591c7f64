import { describe, expect, it } from 'vitest';
import type { ChargeRecord } from '../../../server/domain/charge/chargeRecord.js';
import { disbursementsOf } from '../../../server/domain/report/disbursements.js';
import type { RefundRecord } from '../../../server/domain/refund/refundRecord.js';

const at = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
const captured = (iso: string, amount: string, currencyCode = 'USD') =>
  ({ charge: { statusDetails: { state: 'Captured', lastUpdatedTimestamp: at(iso) }, captureAmount: { amount, currencyCode } } }) as unknown as ChargeRecord;
const refunded = (iso: string, amount: string, state = 'Refunded', currencyCode = 'USD') =>
  ({ refund: { statusDetails: { state, lastUpdatedTimestamp: at(iso) }, refundAmount: { amount, currencyCode } } }) as unknown as RefundRecord;
const now = Date.parse('2026-01-10T12:00:00.000Z');

describe('disbursementsOf', () => {
  it('nets each ended UTC day per currency, skips nets of zero, and shows a negative net as a debit', () => {
    const charges = [
      captured('2026-01-07T10:00:00.000Z', '10.00'),
      captured('2026-01-07T23:59:59.000Z', '5.00'),
      captured('2026-01-07T11:00:00.000Z', '700', 'JPY'),
      captured('2026-01-08T09:00:00.000Z', '4.00'),
    ];
    const refunds = [
      refunded('2026-01-07T12:00:00.000Z', '1.50'),
      refunded('2026-01-08T10:00:00.000Z', '4.00'),
      refunded('2026-01-09T10:00:00.000Z', '3.00'),
      refunded('2026-01-09T11:00:00.000Z', '9.00', 'Declined'),
    ];
    const list = disbursementsOf({ sellerId: 'SELLER', charges, refunds }, now);
    expect(list.map((d) => [d.transactionTime, d.amount, d.currencyCode])).toEqual([
      ['2026-01-08T00:00:00.000Z', '700', 'JPY'],
      ['2026-01-08T00:00:00.000Z', '13.50', 'USD'],
      ['2026-01-10T00:00:00.000Z', '-3.00', 'USD'],
    ]);
    expect(new Set(list.map((d) => d.settlementId)).size).toBe(3);
    expect(list.every((d) => d.sellerId === 'SELLER' && /^\d{11}$/.test(d.settlementId))).toBe(true);
  });

  it('leaves out the day still running on the clock and charges that are not captured', () => {
    const authorized = { charge: { statusDetails: { state: 'Authorized', lastUpdatedTimestamp: at('2026-01-09T10:00:00.000Z') }, captureAmount: null } } as unknown as ChargeRecord;
    expect(disbursementsOf({ sellerId: 'SELLER', charges: [captured('2026-01-10T01:00:00.000Z', '10.00'), authorized], refunds: [] }, now)).toEqual([]);
  });

  it('gives the same ids on every call', () => {
    const charges = [captured('2026-01-07T10:00:00.000Z', '10.00')];
    const ledger = { sellerId: 'SELLER', charges, refunds: [] };
    expect(disbursementsOf(ledger, now)).toEqual(disbursementsOf(ledger, now + 86_400_000));
  });
});
