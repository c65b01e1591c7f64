import { html, htmlDocument, htmlHeaders, styleHashOf, type SafeHtml } from '../../html/html.js';

/** The dashboard's page frame: one stylesheet allowed by hash, one script from the mock itself. */

const css = `
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; line-height: 1.45; color: #0f1111; background: #f7f7f7; }
body { margin: 0; }
header { background: #232f3e; color: #fff; padding: .5rem 1rem; display: flex; gap: 1.5rem; align-items: baseline; flex-wrap: wrap; }
header a { color: #fff; }
header p { margin: 0; font-weight: 700; }
main { padding: 1rem 1.5rem 3rem; max-width: 80rem; }
h1 { font-size: 1.4rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid #d5d9d9; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eaeded; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
pre { background: #fff; border: 1px solid #d5d9d9; padding: .5rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
a { color: #0b5ea8; }
.panel { background: #fff; border: 1px solid #d5d9d9; border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
.row { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; }
button, select, input { font: inherit; }
button { padding: .3rem .8rem; border: 1px solid #888c8c; border-radius: 4px; background: #fff; cursor: pointer; color: #0f1111; }
button.primary { background: #ffd814; border-color: #c9a800; }
.timeline { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
.timeline li { background: #fff; border: 1px solid #888c8c; border-radius: 16px; padding: .2rem .8rem; }
.timeline li::after { content: ""; }
.diff td.differs { background: #fde8e8; }
.diff tr.first td { outline: 3px solid #b12704; outline-offset: -3px; }
.note { color: #565959; font-size: .9rem; }
.pager { margin: .5rem 0; display: flex; gap: 1rem; }
.state { font-weight: 600; }
:focus-visible { outline: 3px solid #0b5ea8; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
label { font-weight: 600; }
textarea { width: 100%; box-sizing: border-box; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
`;

export const SCRIPT_PATH = '/__admin/ui/app.js';

/** Headers of every dashboard page: its own style and script only, no framing, no caching. */
export const uiHeaders = htmlHeaders(
  `default-src 'none'; style-src 'sha256-${styleHashOf(css)}'; script-src 'self'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
);

/** A whole dashboard page. */
export function uiLayout(title: string, body: SafeHtml): string {
  return htmlDocument({
    title: `${title} – amazon-pay-mock dashboard`,
    stylesheet: css,
    head: html`<script src="${SCRIPT_PATH}" defer></script>
`,
    header: html`<header><p>amazon-pay-mock</p><nav aria-label="Dashboard"><a href="/__admin/ui">Merchants</a> · <a href="/documentation">API docs</a></nav></header>`,
    body,
  });
}

/** Where a paged list stands: this page of so many. */
export interface PagePosition {
  page: number;
  pages: number;
}

/** Links to the previous and next page, keeping the other query parameters. */
export function pager(base: string, params: Record<string, string | null>, { page, pages }: PagePosition): SafeHtml {
  const link = (p: number) => {
    const q = new URLSearchParams(Object.entries({ ...params, page: String(p) }).filter((e): e is [string, string] => e[1] !== null));
    return `${base}?${q.toString()}`;
  };
  return html`<nav class="pager" aria-label="Pages"><span>Page ${page} of ${pages}</span>${page > 1 ? html`<a href="${link(page - 1)}" rel="prev">Previous page</a>` : ''}${page < pages ? html`<a href="${link(page + 1)}" rel="next">Next page</a>` : ''}</nav>`;
}
