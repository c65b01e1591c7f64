/** Quotes one word for a POSIX shell (single quotes; embedded ones closed, escaped and reopened). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A ready-to-paste curl command, one option per line. `-k` because the mock's certificate is self-signed. */
export function curlCommand(request: { method: string; url: string; headers: Record<string, string>; body?: string }): string {
  const lines = [`curl -k -sS -X ${shellQuote(request.method)} ${shellQuote(request.url)}`];
  // curl drops a header given as "name:" with no value; "name;" is its syntax for an empty one.
  for (const [name, value] of Object.entries(request.headers)) lines.push(`-H ${shellQuote(value === '' ? `${name};` : `${name}: ${value}`)}`);
  if (request.body !== undefined && request.body !== '') lines.push(`--data-raw ${shellQuote(request.body)}`);
  return lines.join(' \\\n  ');
}
