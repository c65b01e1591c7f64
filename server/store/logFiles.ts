import { open, readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { checkLogEntry, type LogEntry } from './encoding.js';

/** `<file>.<generation>.log`: the write-ahead log files of one store file. */
export function logFileName(file: string, generation: number): string {
  return `${file}.${generation}.log`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The generations that have a log file next to `file`, ascending. */
export async function listGenerations(file: string): Promise<number[]> {
  const pattern = new RegExp(`^${escapeRegExp(path.basename(file))}\\.(\\d+)\\.log$`);
  let names: string[];
  try {
    names = await readdir(path.dirname(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .map((name) => pattern.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .filter(Number.isSafeInteger)
    .sort((a, b) => a - b);
}

/**
 * Reads one log file. Every line but the last is a committed entry; the last one may be torn by a
 * crash in the middle of a write (that commit was never acknowledged), so it is dropped when it
 * lacks its newline or does not parse. A bad line anywhere else is corruption and throws.
 */
export async function readLog(logFile: string): Promise<{ entries: LogEntry[]; tornTail: boolean }> {
  const text = await readFile(logFile, 'utf8');
  const lines = text.split('\n');
  let tornTail = lines.pop() !== ''; // the text after the last newline: '' when the file ends cleanly
  const entries: LogEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    try {
      const entry: unknown = JSON.parse(line);
      checkLogEntry(entry);
      entries.push(entry);
    } catch (err) {
      if (i === lines.length - 1 && !tornTail) {
        tornTail = true;
        break;
      }
      throw new Error(`store: ${logFile} line ${i + 1} is corrupt (${(err as Error).message}); move the file away to start without it`);
    }
  }
  return { entries, tornTail };
}

/** Deletes the log files of every generation below `generation`. */
export async function deleteGenerationsBelow(file: string, generation: number): Promise<void> {
  for (const n of await listGenerations(file)) {
    if (n >= generation) break;
    await unlink(logFileName(file, n)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
}

/** Makes a file's data durable (fsync), then the directory entry that names it. */
export async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await syncDirectory(path.dirname(file));
}

/** fsyncs a directory so a created, renamed or deleted name survives a power loss (POSIX only). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open or fsync a directory; its file system journals names itself.
  } finally {
    await handle?.close();
  }
}
