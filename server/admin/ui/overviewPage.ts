import type { ClockState } from '../../clock/controlledClock.js';
import { html } from '../../html/html.js';
import { clockPanel } from './clockPanel.js';
import { uiLayout } from './uiLayout.js';
import { objectKinds, type MerchantSummary } from './uiData.js';

/** /__admin/ui: every merchant with its object counts, and the server clock. */
export function overviewPage(list: MerchantSummary[], clock: ClockState): string {
  return uiLayout(
    'Merchants',
    html`<h1>Merchants</h1>
${list.length === 0
  ? html`<p>No merchant has any objects yet. Create a Checkout Session with an SDK, or click an Amazon Pay button.</p>`
  : html`<table>
<caption class="visually-hidden">Merchants and their objects</caption>
<thead><tr><th scope="col">Merchant (public key id)</th>${objectKinds.map((k) => html`<th scope="col">${k.label}</th>`)}</tr></thead>
<tbody>${list.map((m) => html`<tr><th scope="row"><a href="/__admin/ui/merchants/${encodeURIComponent(m.ns)}">${m.ns}</a></th>${objectKinds.map((k) => html`<td>${m.counts[k.collection] ?? 0}</td>`)}</tr>`)}</tbody>
</table>`}
${clockPanel(clock, null, '/__admin/ui')}`,
  );
}
