import { html, type SafeHtml } from '../../html/html.js';
import type { JournalEntry } from '../../journal/journal.js';
import { journalTable } from './merchantPage.js';
import { compareSignedText, type SignatureDiff } from './signatureDiff.js';
import { pager, uiLayout, type PagePosition } from './uiLayout.js';

/** /__admin/ui/merchants/{ns}/journal: every recorded call of a merchant, paged. */
export function journalListPage(ns: string, { entries, page, pages, total }: PagePosition & { entries: JournalEntry[]; total: number }): string {
  const base = `/__admin/ui/merchants/${encodeURIComponent(ns)}/journal`;
  return uiLayout(
    `Journal of ${ns}`,
    html`<p><a href="/__admin/ui/merchants/${encodeURIComponent(ns)}">Merchant ${ns}</a></p>
<h1>Journal of <code>${ns}</code> (${total} calls)</h1>
${journalTable(entries, 'Recorded calls')}
${pager(base, {}, { page, pages })}`,
  );
}

function diffTable(diff: SignatureDiff | null): SafeHtml {
  return html`<table class="diff" id="signature-diff">
<caption class="visually-hidden">Line by line comparison</caption>
<thead><tr><th scope="col">Line</th><th scope="col">Your client signed</th><th scope="col">The mock computed</th></tr></thead>
<tbody>${(diff?.lines ?? []).map(
    (l) => html`<tr${l.number === diff!.firstDifference ? html` class="first"` : ''}><td>${l.number}</td><td${l.same ? '' : html` class="differs"`}><code>${l.client ?? '(no line)'}</code></td><td${l.same ? '' : html` class="differs"`}><code>${l.server ?? '(no line)'}</code></td></tr>`,
  )}</tbody>
</table>`;
}

function signatureSection(entry: JournalEntry, clientText: string | null): SafeHtml {
  const sig = entry.signature;
  if (!sig) return html``;
  // A button's "canonical request" is its payload; an API call's is the canonical request proper.
  const isButton = entry.operation === 'checkoutButton' || entry.operation === 'signInButton';
  const server = `${sig.canonicalRequest}\n\n${sig.stringToSign}`;
  const diff = clientText === null ? null : compareSignedText(clientText, server);
  const summary = clientText === null ? 'Paste what your client signed to compare.' : diff!.firstDifference === null ? 'The texts are identical.' : `First differing line: ${diff!.firstDifference}`;
  return html`<section aria-labelledby="signature" class="panel">
<h2 id="signature">Signature diagnostics</h2>
<p>What the mock computed for this ${isButton ? 'button payload' : 'request'}: ${isButton ? 'the payload as sent' : 'the canonical request'}, a blank line, then the string to sign. Paste your client's ${isButton ? 'payload and string to sign' : 'canonical request and string to sign'} (most SDKs log them at debug level) in the same form to see the first line that differs.</p>
<pre id="server-signed">${server}</pre>
<form method="get" action="/__admin/ui/requests/${entry.id}#signature">
<label for="client-signed">What your client signed</label>
<textarea id="client-signed" name="signed" rows="10">${clientText ?? ''}</textarea>
<button type="submit">Compare</button>
</form>
<p id="diff-summary" role="status">${summary}</p>
${diffTable(diff)}
</section>`;
}

/** One recorded call: what was sent and answered, and for a failed signature the comparison. */
export function journalEntryPage(entry: JournalEntry, clientText: string | null): string {
  return uiLayout(
    `Call ${entry.id}`,
    html`${entry.merchant ? html`<p><a href="/__admin/ui/merchants/${encodeURIComponent(entry.merchant)}/journal">Journal of ${entry.merchant}</a></p>` : ''}
<h1>Call ${entry.id}: ${entry.operation ?? entry.path} → ${entry.status}${entry.reasonCode ? html` ${entry.reasonCode}` : ''}</h1>
<dl>
<dt>Time</dt><dd>${entry.time}</dd>
<dt>Request</dt><dd><code>${entry.method} ${entry.path}</code></dd>
<dt>Public key id</dt><dd>${entry.publicKeyId ?? '–'}</dd>
${entry.scenario ? html`<dt>Scripted by</dt><dd>${entry.scenario}</dd>` : ''}
</dl>
${signatureSection(entry, clientText)}
<h2>Request</h2>
<pre>${JSON.stringify(entry.request, null, 2)}</pre>
<h2>Response</h2>
<pre>${JSON.stringify(entry.response, null, 2)}</pre>`,
  );
}
