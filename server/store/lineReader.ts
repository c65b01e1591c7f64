import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

/** What follows the last newline of a file: empty when the file ends cleanly. */
export interface LineTail {
  text: string;
}

/** Bytes read at once: large reads, few calls. */
const READ_BYTES = 4 << 20;

/**
 * Calls `onLine` for every newline-terminated line of a file, without its newline, in order.
 * The file is read in large pieces and never held as one string (V8 strings stop at 512 MiB);
 * each piece is decoded once, cut at its last newline so no UTF-8 sequence is ever split, and
 * the lines are handed over synchronously (no promise per line). Text after the last newline is
 * not a line: it is left in `tail.text`. An exception from `onLine` stops the reading and rejects.
 */
export async function eachLine(file: string, onLine: (line: string) => void, tail: LineTail = { text: '' }, readBytes = READ_BYTES): Promise<void> {
  const handle = await open(file, 'r');
  try {
    let buffer = Buffer.allocUnsafe(readBytes);
    /** Bytes at the start of `buffer` left from the previous read: the beginning of an unfinished line. */
    let carried = 0;
    for (;;) {
      if (carried === buffer.length) {
        // One line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, carried);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, carried, buffer.length - carried, null);
      if (bytesRead === 0) break;
      const end = carried + bytesRead;
      const lastNewline = buffer.lastIndexOf(10, end - 1);
      if (lastNewline === -1) {
        carried = end;
        continue;
      }
      const text = buffer.toString('utf8', 0, lastNewline);
      let start = 0;
      for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
        onLine(text.slice(start, newline));
        start = newline + 1;
      }
      onLine(text.slice(start));
      carried = end - lastNewline - 1;
      buffer.copy(buffer, 0, lastNewline + 1, end);
    }
    tail.text = buffer.toString('utf8', 0, carried);
  } finally {
    await handle.close();
  }
}

/** The first `bytes` bytes of a file as text ('' for an empty file). */
export async function readHead(file: string, bytes: number): Promise<string> {
  const stream = createReadStream(file, { encoding: 'utf8', start: 0, end: bytes - 1 });
  let text = '';
  for await (const chunk of stream as AsyncIterable<string>) text += chunk;
  return text;
}
