import type { ClockState } from '../../clock/controlledClock.js';
import { formatTimestamp } from '../../domain/time.js';
import { html, type SafeHtml } from '../../html/html.js';

/** The clock with forms to move it and to freeze or run it; `merchant` null is the server clock. */
export function clockPanel(state: ClockState, merchant: string | null, back: string): SafeHtml {
  const step = (seconds: number, label: string) => html`<button type="submit" name="advanceSeconds" value="${seconds}">${label}</button>`;
  return html`<section class="panel" aria-labelledby="clock-heading">
<h2 id="clock-heading">${merchant ? 'This merchant\u2019s clock' : 'Server clock'}</h2>
<p><span class="state">${new Date(state.now).toISOString()}</span> (<code>${formatTimestamp(state.now)}</code>), offset ${state.offsetMs / 1000} s, ${state.frozen ? 'frozen' : 'running'}</p>
<form method="post" action="/__admin/ui/clock" class="row">
${merchant ? html`<input type="hidden" name="merchant" value="${merchant}">` : ''}
<input type="hidden" name="back" value="${back}">
${step(3600, 'Move 1 hour')}${step(86400, 'Move 24 hours')}${step(86400 * 7, 'Move 7 days')}${step(86400 * 30, 'Move 30 days')}
<label for="clock-seconds">Seconds</label><input type="number" id="clock-seconds" name="customSeconds" step="1" inputmode="numeric"><button type="submit" name="advanceSeconds" value="custom">Move</button>
<button type="submit" name="frozen" value="${state.frozen ? 'false' : 'true'}">${state.frozen ? 'Run the clock' : 'Freeze the clock'}</button>
</form>
</section>`;
}
