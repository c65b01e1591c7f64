/**
 * Reading what a buyer's browser sends to the hosted pages. The app keeps every body as a raw
 * Buffer (no form parser is installed), so form bodies are decoded here, strictly: a body a
 * browser could not have produced is refused rather than guessed at.
 */

/** Why a request could not be read; the pages answer it with a 400 page. */
export class FormError extends Error {
  override name = 'FormError';
}

const FORM_TYPE = 'application/x-www-form-urlencoded';
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new FormError('The form data has a malformed percent-encoded sequence.');
  }
}

/**
 * Parses an `application/x-www-form-urlencoded` body (UTF-8) into a map of fields. Throws
 * FormError for another content type or charset, bytes that are not UTF-8, malformed
 * percent-escapes, or a field given twice.
 */
export function parseForm(contentType: string | undefined, body: unknown): Map<string, string> {
  const [mediaType = '', ...params] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== FORM_TYPE) {
    throw new FormError(`The form must be sent as ${FORM_TYPE}${mediaType ? `, not ${mediaType}` : ''}.`);
  }
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new FormError(`The form must be UTF-8, not ${charset}.`);
  const raw = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new FormError('The form data is not valid UTF-8.');
  }
  const fields = new Map<string, string>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = decodeComponent(eq === -1 ? '' : pair.slice(eq + 1));
    if (fields.has(name)) throw new FormError(`The form field '${name}' was sent more than once.`);
    fields.set(name, value);
  }
  return fields;
}

/** The checkout session id of a page request (query string or form), or FormError. */
export function requireSessionId(value: unknown): string {
  if (Array.isArray(value)) throw new FormError('amazonCheckoutSessionId was given more than once.');
  if (typeof value !== 'string' || value.trim() === '') throw new FormError('The amazonCheckoutSessionId parameter is missing.');
  return value.trim();
}

/** The submit button pressed: one of `allowed`, the first when none was named. */
export function requireAction<A extends string>(value: string | undefined, allowed: readonly [A, ...A[]]): A {
  if (value === undefined) return allowed[0];
  if (!(allowed as readonly string[]).includes(value)) throw new FormError(`Unknown action '${value}'; expected ${allowed.join(' or ')}.`);
  return value as A;
}
