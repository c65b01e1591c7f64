import type { ClockState } from '../../clock/controlledClock.js';
import { html, type SafeHtml } from '../../html/html.js';
import type { IpnDelivery } from '../../ipn/ipnService.js';
import type { JournalEntry } from '../../journal/journal.js';
import type { ActiveRule } from '../../scenarios/book.js';
import { clockPanel } from './clockPanel.js';
import { pager, uiLayout } from './uiLayout.js';
import { objectKinds, type ObjectKind, type ObjectRow } from './uiData.js';

export interface MerchantView {
  ns: string;
  kind: ObjectKind;
  state: string | null;
  page: number;
  objects: { rows: ObjectRow[]; total: number; pages: number; states: string[] };
  clock: ClockState;
  rules: ActiveRule[];
  deliveries: IpnDelivery[];
  journal: JournalEntry[];
}

const base = (ns: string) => `/__admin/ui/merchants/${encodeURIComponent(ns)}`;

/** The journal entries as a table, newest first, each linking to its detail page. */
export function journalTable(entries: JournalEntry[], caption: string): SafeHtml {
  if (entries.length === 0) return html`<p>No calls recorded.</p>`;
  return html`<table>
<caption class="visually-hidden">${caption}</caption>
<thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Operation</th><th scope="col">Status</th><th scope="col">Reason code</th><th scope="col">Path</th></tr></thead>
<tbody>${entries.map(
    (e) => html`<tr><td><a href="/__admin/ui/requests/${e.id}">${e.id}</a></td><td>${e.time}</td><td>${e.operation ?? '–'}</td><td>${e.status}</td><td>${e.reasonCode ?? ''}${e.signature ? html` <a href="/__admin/ui/requests/${e.id}#signature">(signature diagnostics)</a>` : ''}</td><td><code>${e.method} ${e.path.slice(0, 120)}</code></td></tr>`,
  )}</tbody>
</table>`;
}

function objectsSection(v: MerchantView): SafeHtml {
  const url = base(v.ns);
  return html`<section aria-labelledby="objects-heading">
<h2 id="objects-heading">${v.kind.label} (${v.objects.total})</h2>
<form method="get" action="${url}" class="row">
<label for="collection">Objects</label>
<select id="collection" name="collection" data-autosubmit>${objectKinds.map((k) => html`<option value="${k.collection}"${k.collection === v.kind.collection ? html` selected` : ''}>${k.label}</option>`)}</select>
<label for="state">State</label>
<select id="state" name="state" data-autosubmit><option value="">any</option>${v.objects.states.map((s) => html`<option value="${s}"${s === v.state ? html` selected` : ''}>${s}</option>`)}</select>
<button type="submit">Show</button>
</form>
${v.objects.rows.length === 0
  ? html`<p>None.</p>`
  : html`<table>
<caption class="visually-hidden">${v.kind.label}</caption>
<thead><tr><th scope="col">Id</th><th scope="col">State</th><th scope="col">Reason</th><th scope="col">Created</th><th scope="col">Last change</th></tr></thead>
<tbody>${v.objects.rows.map((r) => html`<tr><td><a href="${url}/${v.kind.collection}/${encodeURIComponent(r.id)}"><code>${r.id}</code></a></td><td class="state">${r.state}</td><td>${r.reasonCode ?? ''}</td><td><code>${r.created}</code></td><td><code>${r.updated ?? ''}</code></td></tr>`)}</tbody>
</table>`}
${pager(url, { collection: v.kind.collection, state: v.state }, { page: v.page, pages: v.objects.pages })}
</section>`;
}

function rulesSection(rules: ActiveRule[]): SafeHtml {
  return html`<section aria-labelledby="rules-heading">
<h2 id="rules-heading">Scripted rules and faults (${rules.length})</h2>
${rules.length === 0
  ? html`<p>None in force. Add them with POST /__admin/scenarios or /__admin/faults.</p>`
  : html`<table>
<caption class="visually-hidden">Scripted rules and faults in force</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Matches</th><th scope="col">Outcome</th><th scope="col">Delay</th><th scope="col">Times left</th><th scope="col">From</th></tr></thead>
<tbody>${rules.map((r) => html`<tr><td>${r.name}</td><td><code>${JSON.stringify(r.match)}</code></td><td><code>${JSON.stringify(r.outcome)}</code></td><td>${r.delayMs} ms</td><td>${r.times ?? 'every call'}</td><td>${r.merchant ? r.source : html`${r.source} (all merchants)`}</td></tr>`)}</tbody>
</table>`}
</section>`;
}

function ipnSection(deliveries: IpnDelivery[]): SafeHtml {
  return html`<section aria-labelledby="ipn-heading">
<h2 id="ipn-heading">IPN deliveries (latest ${deliveries.length})</h2>
${deliveries.length === 0
  ? html`<p>None. Set endpoints with PUT /__admin/ipn/config or --ipn-url.</p>`
  : html`<table>
<caption class="visually-hidden">IPN deliveries</caption>
<thead><tr><th scope="col">Created</th><th scope="col">Object</th><th scope="col">Notification</th><th scope="col">URL</th><th scope="col">Status</th><th scope="col">Attempts</th></tr></thead>
<tbody>${deliveries.map((d) => html`<tr><td>${d.createdAt}</td><td><code>${d.notification.ObjectId}</code></td><td>${d.notification.ObjectType} ${d.notification.NotificationType}</td><td><code>${d.url}</code></td><td class="state">${d.status}</td><td>${d.attempts.map((a) => html`${a.status ?? a.error ?? '?'} `)}</td></tr>`)}</tbody>
</table>`}
</section>`;
}

/** /__admin/ui/merchants/{ns}: objects (paged), clock, rules and faults, IPN deliveries, recent calls. */
export function merchantPage(v: MerchantView): string {
  return uiLayout(
    `Merchant ${v.ns}`,
    html`<h1>Merchant <code>${v.ns}</code></h1>
${objectsSection(v)}
${clockPanel(v.clock, v.ns, base(v.ns))}
${rulesSection(v.rules)}
${ipnSection(v.deliveries)}
<section aria-labelledby="journal-heading">
<h2 id="journal-heading">Recent calls</h2>
${journalTable(v.journal, 'Recent calls')}
<p><a href="${base(v.ns)}/journal">The whole journal of this merchant</a></p>
</section>`,
  );
}
