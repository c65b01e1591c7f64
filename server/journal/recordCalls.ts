import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RequestJournal } from './journal.js';
import { journalEntryOf } from './journalEntry.js';

/** Calls to the emulated API (the journal records these): an operation, or a path in its URL space. */
function isApiRequest(request: FastifyRequest): boolean {
  return request.trace.operation !== null || /^(?:\/(?:sandbox|live))?\/v\d+\//.test(request.raw.url ?? '');
}

/**
 * The one place calls enter the request journal: when their answer has gone out (`recordCalls`),
 * or, for a call a scenario rule dropped (no answer, so no response hook), when it is dropped
 * (`recordDroppedCall`), with status 0.
 */
export function recordCalls(app: FastifyInstance, { journal, wallTime }: JournalDeps): void {
  app.addHook('onResponse', (request, reply, done) => {
    if (isApiRequest(request)) journal.record(journalEntryOf(request, { status: reply.statusCode, endedAt: wallTime(), elapsedMs: reply.elapsedTime, responsePayload: request.trace.responsePayload }));
    done();
  });
}

export function recordDroppedCall({ journal, wallTime }: JournalDeps, request: FastifyRequest, afterMs: number): void {
  journal.record(journalEntryOf(request, { status: 0, endedAt: wallTime(), elapsedMs: afterMs, responsePayload: null }));
}

/** The journal, and the real time its entries are stamped with. */
interface JournalDeps {
  journal: RequestJournal;
  wallTime: () => number;
}
