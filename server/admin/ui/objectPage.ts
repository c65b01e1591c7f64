import { simulatedCards } from '../../domain/cards.js';
import { html, type SafeHtml } from '../../html/html.js';
import { cardLabel, cardsInOrder } from '../../html/display.js';
import type { JournalEntry } from '../../journal/journal.js';
import { journalTable } from './merchantPage.js';
import type { TimelineEvent } from './timeline.js';
import { uiLayout } from './uiLayout.js';
import type { ObjectKind, ObjectRow } from './uiData.js';

/** The buyer's steps for an Open session: approve with a card (sign in, pay, return), or cancel. */
function buyerSteps(ns: string, row: ObjectRow): SafeHtml {
  if (row.state !== 'Open') return html``;
  const id = encodeURIComponent(row.id);
  return html`<section class="panel" aria-labelledby="buyer-heading">
<h2 id="buyer-heading">Buyer steps</h2>
<form method="post" action="/__admin/ui/checkoutSessions/${id}/approve" class="row">
<input type="hidden" name="merchant" value="${ns}">
<label for="approve-card">Card</label>
<select id="approve-card" name="card">${cardsInOrder().map(([lastFour, card]) => html`<option value="${lastFour}">${cardLabel(card.brand, lastFour)}</option>`)}</select>
<button type="submit" class="primary">Approve as the buyer</button>
</form>
<form method="post" action="/__admin/ui/checkoutSessions/${id}/cancel" class="row">
<input type="hidden" name="merchant" value="${ns}">
<button type="submit">Cancel as the buyer</button>
</form>
<p class="note">Approve: the test buyer signs in and pays with the card (${Object.keys(simulatedCards).length} simulated cards; 3064 and 3434 cancel on return). Cancel: BuyerCanceled.</p>
</section>`;
}

function timelineList(events: TimelineEvent[]): SafeHtml {
  return html`<ol class="timeline" aria-label="State history">${events.map(
    (e) => html`<li><span class="state">${e.state}</span>${e.reasonCode ? html` (${e.reasonCode})` : ''} <span class="note">${e.at ?? ''} · ${e.journalId !== null ? html`<a href="/__admin/ui/requests/${e.journalId}">${e.source}</a>` : e.source}</span></li>`,
  )}</ol>`;
}

/** One object: its state history, the buyer steps (sessions), the object itself, the calls naming it. */
export function objectPage(ns: string, kind: ObjectKind, { row, timeline, entries }: { row: ObjectRow; timeline: TimelineEvent[]; entries: JournalEntry[] }): string {
  return uiLayout(
    `${kind.label}: ${row.id}`,
    html`<p><a href="/__admin/ui/merchants/${encodeURIComponent(ns)}?collection=${kind.collection}">${kind.label} of ${ns}</a></p>
<h1><code>${row.id}</code> <span class="state">${row.state}</span>${row.reasonCode ? html` (${row.reasonCode})` : ''}</h1>
<section aria-labelledby="timeline-heading">
<h2 id="timeline-heading">State history</h2>
${timelineList(timeline)}
<p class="note">From the calls in the request journal and the state now; changes made by the clock or the buyer pages show as the state now.</p>
</section>
${kind.collection === 'checkoutSessions' ? buyerSteps(ns, row) : ''}
<section aria-labelledby="object-heading">
<h2 id="object-heading">The object</h2>
<pre>${JSON.stringify(row.object, null, 2)}</pre>
</section>
<section aria-labelledby="calls-heading">
<h2 id="calls-heading">Calls about it</h2>
${journalTable(entries, 'Calls about this object')}
</section>`,
  );
}
