/** How much of a caller's value an error message repeats: enough to recognise it, never enough to amplify. */
export const ECHO_LIMIT = 100;

/**
 * A caller-supplied value as an error message quotes it: strings as they are, anything else as
 * JSON, cut to ECHO_LIMIT characters with a note of the full length. A 1 MB field must not make a
 * 1 MB error (or a 1 MB idempotency record of that error).
 */
export function echo(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  if (text.length <= ECHO_LIMIT) return text;
  return `${text.slice(0, ECHO_LIMIT)}... (${text.length} characters)`;
}
