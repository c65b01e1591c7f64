import type { ChargeRecord } from '../charge/chargeRecord.js';
import { apiError } from '../errors.js';
import { currencies, formatMinor, minorOf } from '../money.js';
import type { OperationEnv, OperationResult } from '../operation.js';
import type { RefundRecord } from '../refund/refundRecord.js';
import { DAY, parseTimestamp } from '../time.js';
import { decodeToken, encodeToken, isoTime, oneQuery, pageSizeOf, timeField, type Page } from './reportOperations.js';

/** One entry of Get Disbursements ("Requesting disbursement details"). */
export interface Disbursement {
  sellerId: string;
  settlementId: string;
  amazonDisbursementReferenceId: string;
  amount: string;
  currencyCode: string;
  transactionTime: string;
}

function requiredTime(query: Record<string, unknown>, key: string): number {
  const raw = oneQuery(query, key);
  if (raw === undefined) throw apiError('MissingParameterValue', `The query parameter '${key}' is required.`);
  return timeField(raw, key);
}

const dayOf = (ms: number) => Math.floor(ms / DAY);
const yyyymmdd = (day: number) => new Date(day * DAY).toISOString().slice(0, 10).replace(/-/g, '');

/**
 * The merchant's disbursements: one per UTC day that has ended on the clock and currency, paying
 * out the net of the captures and completed refunds posted that day (zero nets pay nothing; a
 * negative net is a debit and shows as a negative amount). Ids are derived from the day and
 * currency, so every call lists the same disbursement the same way.
 */
export function disbursementsOf(
  { sellerId, charges, refunds }: { sellerId: string; charges: readonly ChargeRecord[]; refunds: readonly RefundRecord[] },
  now: number,
): Disbursement[] {
  const net = new Map<string, number>(); // `${day}|${currency}` → minor units
  const add = (timestamp: string, currency: string, minor: number) => {
    const ms = parseTimestamp(timestamp);
    if (ms === null || dayOf(ms) >= dayOf(now)) return; // the day is not settled yet
    const key = `${dayOf(ms)}|${currency}`;
    net.set(key, (net.get(key) ?? 0) + minor);
  };
  for (const { charge } of charges) {
    if (charge.statusDetails.state === 'Captured' && charge.captureAmount) add(charge.statusDetails.lastUpdatedTimestamp, charge.captureAmount.currencyCode, minorOf(charge.captureAmount));
  }
  for (const { refund } of refunds) {
    if (refund.statusDetails.state === 'Refunded') add(refund.statusDetails.lastUpdatedTimestamp, refund.refundAmount.currencyCode, -minorOf(refund.refundAmount));
  }
  const out: { day: number; disbursement: Disbursement }[] = [];
  for (const [key, minor] of net) {
    if (minor === 0) continue;
    const [dayText, currency] = key.split('|') as [string, string];
    const day = Number(dayText);
    const ordinal = String(currencies.indexOf(currency as (typeof currencies)[number]) + 1).padStart(3, '0');
    out.push({
      day,
      disbursement: {
        sellerId,
        settlementId: `${yyyymmdd(day)}${ordinal}`,
        amazonDisbursementReferenceId: `${sellerId}-${yyyymmdd(day)}-${currency}`,
        amount: formatMinor(minor, currency),
        currencyCode: currency,
        transactionTime: isoTime((day + 1) * DAY),
      },
    });
  }
  out.sort((a, b) => a.day - b.day || a.disbursement.currencyCode.localeCompare(b.disbursement.currencyCode));
  return out.map((o) => o.disbursement);
}

/**
 * Get Disbursements (200 `{disbursements, nextToken}`): the disbursements whose settlement time is
 * in [startTime, endTime), oldest first, pageSize (1–100, default 10) at a time; a nextToken
 * continues its listing and needs nothing else.
 */
export function getDisbursements(env: OperationEnv, query: Record<string, unknown>): OperationResult<{ disbursements: Disbursement[]; nextToken: string | null }> {
  const token = oneQuery(query, 'nextToken');
  let page: Page;
  if (token !== undefined) page = decodeToken(token);
  else {
    const sinceMs = requiredTime(query, 'startTime');
    const untilMs = requiredTime(query, 'endTime');
    if (untilMs <= sinceMs) throw apiError('InvalidParameterValue', `The endTime '${String(query.endTime)}' must be later than the startTime '${String(query.startTime)}'.`);
    page = { offset: 0, types: null, statuses: null, sinceMs, untilMs, size: pageSizeOf(query) };
  }
  const all = disbursementsOf({ sellerId: env.ctx.ns, charges: env.state.list<ChargeRecord>('charges'), refunds: env.state.list<RefundRecord>('refunds') }, env.ctx.now);
  const matching = all.filter((d) => {
    const ms = Date.parse(d.transactionTime);
    return ms >= page.sinceMs && ms < page.untilMs;
  });
  const end = page.offset + page.size;
  const nextToken = end < matching.length ? encodeToken({ ...page, offset: end }) : null;
  return { status: 200, body: { disbursements: matching.slice(page.offset, end), nextToken }, writes: [] };
}
