import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { eachLine, type LineTail } from '../../server/store/lineReader.js';
import { tempDirs } from './tempDir.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());

async function linesOf(text: string, readBytes: number): Promise<{ lines: string[]; tail: string }> {
  const file = path.join(await temp.make(), 'lines.txt');
  await writeFile(file, text, 'utf8');
  const lines: string[] = [];
  const tail: LineTail = { text: '' };
  await eachLine(file, (line) => lines.push(line), tail, readBytes);
  return { lines, tail: tail.text };
}

describe('eachLine', () => {
  it('gives every line whole across small reads: lines longer than a read, multi-byte characters cut by a read, empty lines', async () => {
    const lines = ['{"a":"ä€𝄞"}', '', 'x'.repeat(50), '€'.repeat(7), '🙂', 'last'];
    for (const readBytes of [1, 2, 3, 5, 8, 64]) {
      expect(await linesOf(lines.join('\n') + '\n', readBytes)).toEqual({ lines, tail: '' });
    }
  });

  it('leaves text after the last newline in the tail, not as a line', async () => {
    expect(await linesOf('one\ntwo\nunfinished €', 4)).toEqual({ lines: ['one', 'two'], tail: 'unfinished €' });
    expect(await linesOf('', 4)).toEqual({ lines: [], tail: '' });
  });

  it('stops at the first exception from the callback and rejects with it', async () => {
    const file = path.join(await temp.make(), 'lines.txt');
    await writeFile(file, 'a\nb\nc\n');
    const seen: string[] = [];
    await expect(
      eachLine(file, (line) => {
        seen.push(line);
        if (line === 'b') throw new Error('bad line b');
      }),
    ).rejects.toThrow('bad line b');
    expect(seen).toEqual(['a', 'b']);
  });
});
