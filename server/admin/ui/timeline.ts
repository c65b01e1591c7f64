import type { JournalEntry } from '../../journal/journal.js';

/**
 * An object's state history as the dashboard draws it: every state the object was seen in, from
 * the journal's answers that carried it (oldest first) and, last, its state now (a change the
 * clock or a buyer page made shows up there). The store keeps only the current state, so what
 * fell out of the journal's ring is not in the history.
 */

export interface TimelineEvent {
  state: string;
  reasonCode: string | null;
  /** Amazon timestamp of the change (the object's statusDetails.lastUpdatedTimestamp). */
  at: string | null;
  /** The call that showed it (operation name), or 'now' for the stored state. */
  source: string;
  journalId: number | null;
}

interface StatusDetails {
  state?: unknown;
  reasonCode?: unknown;
  lastUpdatedTimestamp?: unknown;
}

// Objects name their relatives too (a session its chargeId, a refund its chargeId): an object's
// own id is the first of these it has.
const ownIdKeys = ['checkoutSessionId', 'refundId', 'chargeId', 'chargePermissionId'] as const;

/** The statusDetails of `body` when it is the object `id` itself, not one that mentions it. */
function statusOf(body: unknown, id: string): StatusDetails | null {
  if (!body || typeof body !== 'object') return null;
  const record = body as Record<string, unknown>;
  const own = ownIdKeys.find((key) => typeof record[key] === 'string');
  if (own === undefined || record[own] !== id) return null;
  const details = record.statusDetails;
  return details && typeof details === 'object' ? (details as StatusDetails) : null;
}

function eventOf(details: StatusDetails, source: string, journalId: number | null): TimelineEvent | null {
  if (typeof details.state !== 'string') return null;
  return {
    state: details.state,
    reasonCode: typeof details.reasonCode === 'string' ? details.reasonCode : null,
    at: typeof details.lastUpdatedTimestamp === 'string' ? details.lastUpdatedTimestamp : null,
    source,
    journalId,
  };
}

/** The distinct consecutive states of object `id`: journal entries (any order) first, then `current`. */
export function stateTimeline(id: string, current: unknown, entries: readonly JournalEntry[]): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const push = (event: TimelineEvent | null) => {
    if (!event) return;
    const last = events[events.length - 1];
    if (last && last.state === event.state && last.reasonCode === event.reasonCode) return;
    events.push(event);
  };
  for (const entry of [...entries].sort((a, b) => a.id - b.id)) {
    const details = statusOf(entry.response.body, id);
    if (details) push(eventOf(details, entry.operation ?? entry.path, entry.id));
  }
  const now = statusOf(current, id);
  if (now) push(eventOf(now, 'now', null));
  return events;
}
