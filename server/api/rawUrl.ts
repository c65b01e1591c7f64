const absoluteForm = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * The origin-form of a request target: `https://pay-api.amazon.com/v2/x?y` (what an SDK sends
 * through an HTTP proxy) becomes `/v2/x?y`, byte for byte, so routing and the signature see the
 * path the client signed.
 */
export function originForm(url: string): string {
  if (!absoluteForm.test(url)) return url;
  const rest = url.replace(absoluteForm, '');
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** Splits a raw target into its path and query text, without decoding either. */
export function splitTarget(url: string): { path: string; query: string } {
  const i = url.indexOf('?');
  return i === -1 ? { path: url, query: '' } : { path: url.slice(0, i), query: url.slice(i + 1) };
}
