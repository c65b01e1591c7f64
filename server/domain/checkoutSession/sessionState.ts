import { formatTimestamp } from '../time.js';
import type { CheckoutSession, StatusDetails } from '../types.js';
import { withConstraints } from './constraints.js';
import { simulatedCards } from '../cards.js';
import type { SessionRecord, SessionTime } from './sessionRecord.js';
import { sessionDeletedAt } from '../retention.js';

const descriptions: Record<string, string> = {
  BuyerCanceled: 'The buyer canceled the checkout.',
  Declined: 'The payment was declined during checkout.',
  AmazonCanceled: 'Amazon canceled the checkout.',
  Expired: 'The Checkout Session expired because it was not completed within 24 hours.',
};

/** A session's statusDetails for `state` entered at `now`, with the reason's description. */
export function sessionStatusOf(state: string, now: number, reasonCode: string | null = null): StatusDetails {
  return {
    state,
    reasonCode,
    reasonDescription: reasonCode ? (descriptions[reasonCode] ?? null) : null,
    lastUpdatedTimestamp: formatTimestamp(now),
  };
}

/** Moves a session to Canceled with a reason; constraints and redirect URL follow. */
export function cancelSession(record: SessionRecord, reasonCode: string, at: SessionTime): SessionRecord {
  const session: CheckoutSession = { ...record.session, statusDetails: sessionStatusOf('Canceled', at.now, reasonCode) };
  return { ...record, session: withConstraints(session, at.publicUrl) };
}

/**
 * The session as it stands at `now`: an Open session past its 24 h expiry is Canceled/Expired
 * (reason code UNCONFIRMED; see the README's "Choices"). Returns the same object when nothing changed.
 */
export function sessionAsOf(record: SessionRecord, at: SessionTime): SessionRecord {
  if (record.session.statusDetails.state === 'Open' && at.now >= record.meta.expiresAt) {
    return cancelSession(record, 'Expired', { now: record.meta.expiresAt, publicUrl: at.publicUrl });
  }
  return record;
}

/** When a session next changes on its own: its expiry while Open, then its deletion. */
export function sessionDueAt(record: SessionRecord): number | null {
  return record.session.statusDetails.state === 'Open' ? record.meta.expiresAt : sessionDeletedAt(record);
}

export function sessionWrite(record: SessionRecord) {
  return { collection: 'checkoutSessions' as const, id: record.session.checkoutSessionId, value: record, dueAt: sessionDueAt(record) };
}

/** Whether the session is Canceled only because the buyer's simulated card (3064, 3434) canceled it on return. */
export function canceledByCard(record: SessionRecord): boolean {
  const behaviour = record.meta.card ? simulatedCards[record.meta.card]?.behaviour : undefined;
  const st = record.session.statusDetails;
  return behaviour?.kind === 'cancelOnReturn' && st.state === 'Canceled' && st.reasonCode === behaviour.reasonCode;
}

/**
 * "Use Sandbox simulations": a simulation string overrides the simulated payment method. When the
 * buyer's card canceled the session on return and the completion carries a simulation, the
 * session is taken as the card never canceled it (still Open, within its 24 hours), so the
 * simulation decides. Returns the same object otherwise.
 */
export function withoutCardCancel(record: SessionRecord, at: SessionTime): SessionRecord {
  if (!canceledByCard(record) || at.now >= record.meta.expiresAt) return record;
  const session: CheckoutSession = { ...record.session, statusDetails: sessionStatusOf('Open', at.now) };
  return { ...record, session: withConstraints(session, at.publicUrl) };
}
