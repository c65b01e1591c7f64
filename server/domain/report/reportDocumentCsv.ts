import type { ChargeRecord } from '../charge/chargeRecord.js';
import type { ChargePermissionRecord } from '../chargePermission/chargePermissionRecord.js';
import { formatMinor, minorOf } from '../money.js';
import type { RefundRecord } from '../refund/refundRecord.js';
import { parseTimestamp } from '../time.js';
import type { ReportRecord } from './reportRecord.js';

/** The merchant's own emulated objects a report document is built from. */
export interface ReportData {
  sellerId: string;
  chargePermissions: ChargePermissionRecord[];
  charges: ChargeRecord[];
  refunds: RefundRecord[];
}

/** Report dates as the settlement report documents them: `2015-05-18T15:48:50-0000`. */
const reportDate = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}-0000`;

function cell(value: string | null | undefined): string {
  const text = value ?? '';
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (values: (string | null | undefined)[]) => values.map(cell).join(',');
const at = (timestamp: string) => parseTimestamp(timestamp) ?? 0;
const within = (ms: number, r: ReportRecord) => ms >= r.meta.startMs && ms < r.meta.endMs;

export const settlementColumns = [
  'TransactionPostedDate', 'SettlementId', 'AmazonTransactionId', 'SellerReferenceId', 'TransactionType', 'AmazonOrderReferenceId',
  'SellerOrderId', 'StoreName', 'CurrencyCode', 'TransactionAmount', 'TotalTransactionFee', 'NetTransactionAmount',
] as const;

/**
 * A settlement report: a header (seller, period), then one row per capture and completed refund
 * posted in the period (captures positive, refunds negative; fees are not modelled, so 0).
 */
function settlementCsv(report: ReportRecord, data: ReportData): string {
  const settlementId = report.report.reportId;
  const rows: { ms: number; values: string[] }[] = [];
  const chargeById = new Map(data.charges.map((c) => [c.charge.chargeId, c.charge]));
  for (const { charge } of data.charges) {
    if (charge.statusDetails.state !== 'Captured' || !charge.captureAmount) continue;
    const ms = at(charge.statusDetails.lastUpdatedTimestamp);
    if (!within(ms, report)) continue;
    const amount = charge.captureAmount.amount;
    const m = charge.merchantMetadata;
    rows.push({ ms, values: [reportDate(ms), settlementId, charge.chargeId, '', 'Capture', charge.chargePermissionId, m?.merchantReferenceId ?? '', m?.merchantStoreName ?? '', charge.captureAmount.currencyCode, amount, '0.00', amount] });
  }
  for (const { refund } of data.refunds) {
    if (refund.statusDetails.state !== 'Refunded') continue;
    const ms = at(refund.statusDetails.lastUpdatedTimestamp);
    if (!within(ms, report)) continue;
    const charge = chargeById.get(refund.chargeId);
    const amount = `-${formatMinor(minorOf(refund.refundAmount), refund.refundAmount.currencyCode)}`;
    const m = charge?.merchantMetadata;
    rows.push({ ms, values: [reportDate(ms), settlementId, refund.refundId, '', 'Refund', charge?.chargePermissionId ?? '', m?.merchantReferenceId ?? '', m?.merchantStoreName ?? '', refund.refundAmount.currencyCode, amount, '0.00', amount] });
  }
  rows.sort((a, b) => a.ms - b.ms);
  return [
    line(['SellerId', 'SettlementStartDate', 'SettlementEndDate']),
    line([data.sellerId, reportDate(report.meta.startMs), reportDate(report.meta.endMs)]),
    '',
    line([...settlementColumns]),
    ...rows.map((r) => line(r.values)),
  ].join('\n') + '\n';
}

export const transactionColumns = [
  'AmazonTransactionId', 'AmazonOrderReferenceId', 'SellerOrderId', 'TransactionType', 'CurrencyCode', 'Amount', 'State', 'ReasonCode',
  'CreationTimestamp', 'LastUpdatedTimestamp',
] as const;

type Row = { created: number; updated: number; values: string[] };

/** A transaction report: every object of the report's kind created or updated in the period. */
function transactionCsv(report: ReportRecord, data: ReportData): string {
  const type = report.report.reportType;
  const rows: Row[] = [];
  const add = (created: string, updated: string, values: string[]) => {
    const row = { created: at(created), updated: at(updated), values: [...values, reportDate(at(created)), reportDate(at(updated))] };
    if (within(row.created, report) || within(row.updated, report)) rows.push(row);
  };
  if (type.includes('ORDER_REFERENCE') || type.includes('BILLING_AGREEMENT')) {
    const wanted = type.includes('ORDER_REFERENCE') ? ['OneTime'] : ['Recurring', 'PaymentMethodOnFile'];
    for (const { chargePermission: p } of data.chargePermissions) {
      if (!wanted.includes(p.chargePermissionType)) continue;
      const limit = p.limits?.amountLimit;
      add(p.creationTimestamp, p.statusDetails.lastUpdatedTimestamp, [p.chargePermissionId, p.chargePermissionId, p.merchantMetadata?.merchantReferenceId ?? '', type.includes('ORDER_REFERENCE') ? 'OrderReference' : 'BillingAgreement', limit?.currencyCode ?? '', limit?.amount ?? '', p.statusDetails.state, p.statusDetails.reasons?.[0]?.reasonCode ?? '']);
    }
  } else if (type.includes('REFUND')) {
    const chargeById = new Map(data.charges.map((c) => [c.charge.chargeId, c.charge]));
    for (const { refund: r } of data.refunds) {
      const charge = chargeById.get(r.chargeId);
      add(r.creationTimestamp, r.statusDetails.lastUpdatedTimestamp, [r.refundId, charge?.chargePermissionId ?? '', charge?.merchantMetadata?.merchantReferenceId ?? '', 'Refund', r.refundAmount.currencyCode, r.refundAmount.amount, r.statusDetails.state, r.statusDetails.reasonCode ?? '']);
    }
  } else {
    const capture = type.includes('CAPTURE');
    for (const { charge: c } of data.charges) {
      if (capture && !c.captureAmount) continue;
      const amount = capture ? c.captureAmount! : c.chargeAmount;
      add(c.creationTimestamp, c.statusDetails.lastUpdatedTimestamp, [c.chargeId, c.chargePermissionId, c.merchantMetadata?.merchantReferenceId ?? '', capture ? 'Capture' : 'Authorization', amount.currencyCode, amount.amount, c.statusDetails.state, c.statusDetails.reasonCode ?? '']);
    }
  }
  rows.sort((a, b) => a.created - b.created);
  return [line([...transactionColumns]), ...rows.map((r) => line(r.values))].join('\n') + '\n';
}

/** The CSV document of a completed report, built from the merchant's emulated objects in its period. */
export function reportDocumentCsv(report: ReportRecord, data: ReportData): string {
  return report.report.reportType.includes('SETTLEMENT') ? settlementCsv(report, data) : transactionCsv(report, data);
}
