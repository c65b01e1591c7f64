import { formatTimestamp } from '../time.js';
import type { StatusDetails } from '../types.js';
import type { RefundRecord } from './refundRecord.js';

const descriptions: Record<string, string> = {
  AmazonRejected: 'Amazon rejected the refund.',
  ProcessingFailure: 'Amazon could not process the refund.',
};

export function refundStatus(state: string, now: number, reasonCode: string | null = null): StatusDetails {
  return { state, reasonCode, reasonDescription: reasonCode ? (descriptions[reasonCode] ?? null) : null, lastUpdatedTimestamp: formatTimestamp(now) };
}

export function refundWrite(record: RefundRecord) {
  return { collection: 'refunds' as const, id: record.refund.refundId, value: record, dueAt: record.meta.settle?.at ?? null };
}
