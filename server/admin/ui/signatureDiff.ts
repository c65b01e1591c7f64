/**
 * Signature diagnostics: the text a client signed against what the mock computed, line by line,
 * with the first line that differs (the usual culprit: a header value, the query order, the body
 * hash). Line endings are compared as LF, since pasted text may come with CRLF.
 */

export interface LineComparison {
  number: number;
  client: string | null;
  server: string | null;
  same: boolean;
}

export interface SignatureDiff {
  lines: LineComparison[];
  /** 1-based number of the first differing line, or null when the two texts are equal. */
  firstDifference: number | null;
}

/** Compares two multi-line texts line by line. */
export function compareSignedText(client: string, server: string): SignatureDiff {
  const a = client.replace(/\r\n?/g, '\n').split('\n');
  const b = server.replace(/\r\n?/g, '\n').split('\n');
  const lines: LineComparison[] = [];
  let firstDifference: number | null = null;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = a[i] ?? null;
    const s = b[i] ?? null;
    const same = c === s;
    if (!same && firstDifference === null) firstDifference = i + 1;
    lines.push({ number: i + 1, client: c, server: s, same });
  }
  return { lines, firstDifference };
}
