import { createHash } from 'node:crypto';

/**
 * HTML building for the hosted buyer pages: a tagged template that escapes every interpolated
 * value unless it is already markup built the same way, and the one page layout.
 */

/** Markup that is safe to insert as is (built by `html`, never from a raw string). */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in element content and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => entities[c]!);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

/**
 * `html\`<p>${text}</p>\``: every value is escaped; SafeHtml values and arrays of them are
 * inserted as markup; null, undefined and false render as nothing.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

const css = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; line-height: 1.5; color: #0f1111; background: #f3f3f3; }
body { margin: 0; }
.banner { background: #232f3e; color: #fff; padding: .75rem 1rem; }
.banner p { margin: 0; font-weight: 600; }
.banner small { display: block; font-weight: 400; color: #d5dbdb; }
main { max-width: 36rem; margin: 1.5rem auto; padding: 1.5rem; background: #fff; border: 1px solid #d5d9d9; border-radius: 8px; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.125rem; margin: 1.25rem 0 .5rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dt { font-weight: 600; }
dd { margin: 0; }
address { font-style: normal; }
fieldset { border: 1px solid #d5d9d9; border-radius: 8px; padding: .75rem 1rem; margin: 1rem 0; }
legend { font-weight: 600; padding: 0 .25rem; }
label { display: block; font-weight: 600; margin-top: .75rem; }
input[type=text], input[type=email] { display: block; width: 100%; box-sizing: border-box; font: inherit; padding: .5rem; margin-top: .25rem; border: 1px solid #888c8c; border-radius: 4px; }
.card { display: flex; gap: .5rem; align-items: flex-start; font-weight: 400; margin: .5rem 0; }
.card input { margin-top: .35rem; }
.card strong { white-space: nowrap; }
.effect { display: block; color: #565959; font-size: .9rem; }
.actions { display: flex; gap: 1rem; align-items: center; margin-top: 1.5rem; }
button { font: inherit; cursor: pointer; }
.primary { background: #ffd814; border: 1px solid #fcd200; border-radius: 20px; padding: .5rem 1.5rem; font-weight: 600; color: #0f1111; }
.link { background: none; border: none; padding: 0; color: #0066c0; text-decoration: underline; }
a { color: #0066c0; }
:focus-visible { outline: 3px solid #0066c0; outline-offset: 2px; }
.error { border: 2px solid #c40000; border-radius: 8px; padding: .5rem 1rem; color: #c40000; margin-bottom: 1rem; }
.error p { margin: .25rem 0; }
.error h2 { margin-top: .25rem; }
.field-error { color: #c40000; font-weight: 600; margin: .25rem 0 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.note { color: #565959; font-size: .9rem; }
code { word-break: break-all; font-family: ui-monospace, monospace, monospace; }
[aria-invalid=true] { border: 2px solid #c40000; }
`;

/** The hash a Content-Security-Policy allows one inline stylesheet by, so it needs no 'unsafe-inline'. */
export function styleHashOf(stylesheet: string): string {
  return createHash('sha256').update(stylesheet).digest('base64');
}

/** Headers of every HTML page the mock serves: the given policy, no sniffing, no framing, no caching. */
export function htmlHeaders(contentSecurityPolicy: string): Readonly<Record<string, string>> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
  };
}

/** A whole HTML document: title, one inline stylesheet, optional extra head markup, a header and `main`. */
export function htmlDocument(parts: { title: string; stylesheet: string; head?: SafeHtml; header: SafeHtml; body: SafeHtml }): string {
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.title}</title>
<link rel="icon" href="data:,">
<style>${new SafeHtml(parts.stylesheet)}</style>
${parts.head ?? ''}</head>
<body>
${parts.header}
<main>
${parts.body}
</main>
</body>
</html>
`}`;
}

/** Headers every buyer page is sent with: no scripts, no framing, no caching of a buyer's data. */
export const pageHeaders = htmlHeaders(`default-src 'none'; style-src 'sha256-${styleHashOf(css)}'; img-src data:; base-uri 'none'; frame-ancestors 'none'`);

/** A whole page: the sandbox banner, then `main` with the page's own heading and content. */
export function layout(title: string, body: SafeHtml): string {
  return htmlDocument({
    title: `${title} – Amazon Pay (mock)`,
    stylesheet: css,
    header: html`<header class="banner"><p>Amazon Pay <small>Sandbox emulator (amazon-pay-mock): no real payment is made.</small></p></header>`,
    body,
  });
}
