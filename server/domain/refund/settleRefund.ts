import type { ChargeRecord } from '../charge/chargeRecord.js';
import { minorOf, price } from '../money.js';
import type { RefundRecord } from './refundRecord.js';
import { refundStatus } from './refundState.js';

/**
 * Settles a refund whose time has come: Refunded adds to the charge's refundedAmount; Declined
 * gives its amount back to what may still be refunded. Null when nothing is due.
 */
export function settleRefund(record: RefundRecord, charge: ChargeRecord, now: number): { refund: RefundRecord; charge: ChargeRecord } | null {
  const settle = record.meta.settle;
  if (!settle || now < settle.at) return null;
  const refund: RefundRecord = { refund: { ...record.refund, statusDetails: refundStatus(settle.to, settle.at, settle.reasonCode) }, meta: { ...record.meta, settle: null } };
  const c = charge.charge;
  if (settle.to === 'Refunded') {
    const refunded = (c.refundedAmount ? minorOf(c.refundedAmount) : 0) + record.meta.amountMinor;
    return { refund, charge: { ...charge, charge: { ...c, refundedAmount: price(refunded, c.chargeAmount.currencyCode) } } };
  }
  return { refund, charge: { ...charge, meta: { ...charge.meta, refundsMinor: (charge.meta.refundsMinor ?? 0) - record.meta.amountMinor } } };
}
