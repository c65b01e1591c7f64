import { createReadStream } from 'node:fs';

/** What follows the last newline of a file: empty when the file ends cleanly. */
export interface LineTail {
  text: string;
}

/**
 * The lines of a file, streamed (never the whole file as one string: V8 strings stop at 512 MiB).
 * Yields every newline-terminated line without its newline; text after the last newline is not
 * yielded but left in `tail.text` when the iteration ends.
 */
export async function* readLines(file: string, tail: LineTail = { text: '' }): AsyncGenerator<string> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let rest = '';
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      let start = 0;
      let newline = chunk.indexOf('\n');
      if (newline === -1) {
        rest += chunk;
        continue;
      }
      yield rest + chunk.slice(0, newline);
      rest = '';
      start = newline + 1;
      while ((newline = chunk.indexOf('\n', start)) !== -1) {
        yield chunk.slice(start, newline);
        start = newline + 1;
      }
      rest = chunk.slice(start);
    }
  } finally {
    stream.destroy();
  }
  tail.text = rest;
}

/** The first `bytes` bytes of a file as text ('' for an empty file). */
export async function readHead(file: string, bytes: number): Promise<string> {
  const stream = createReadStream(file, { encoding: 'utf8', start: 0, end: bytes - 1 });
  let text = '';
  for await (const chunk of stream as AsyncIterable<string>) text += chunk;
  return text;
}
