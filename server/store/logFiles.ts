import { open, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { checkLogEntry, type LogEntry } from './encoding.js';
import { eachLine, type LineTail } from './lineReader.js';

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

/** What replaying one log file found. */
export interface LogReplay {
  entries: number;
  /** Bytes at the end that were dropped: an unfinished write, never acknowledged (0 when clean). */
  tornBytes: number;
}

/**
 * Replays one log file, streamed, calling `apply` for each entry in order. Every line but the last
 * is a committed entry; the last one may be torn by a crash in the middle of a write (that commit
 * was never acknowledged), so it is dropped when it lacks its newline or does not parse, and
 * reported in `tornBytes`. A bad line anywhere else is corruption and throws.
 */
export async function replayLog(logFile: string, apply: (entry: LogEntry) => void): Promise<LogReplay> {
  const tail: LineTail = { text: '' };
  let lineNo = 0;
  let entries = 0;
  let pending: { line: string; error: Error } | null = null;
  await eachLine(
    logFile,
    (line) => {
      if (pending) throw new Error(`${logFile} line ${lineNo} is corrupt (${pending.error.message}); move the file away to start without it`);
      lineNo++;
      try {
        const entry: unknown = JSON.parse(line);
        checkLogEntry(entry);
        apply(entry);
        entries++;
      } catch (err) {
        pending = { line, error: err as Error }; // fine if it is the last line
      }
    },
    tail,
  );
  let tornBytes = Buffer.byteLength(tail.text, 'utf8');
  const last = pending as { line: string; error: Error } | null; // set inside the callback
  if (last) {
    if (tornBytes > 0) throw new Error(`${logFile} line ${lineNo} is corrupt (${last.error.message}); move the file away to start without it`);
    tornBytes = Buffer.byteLength(last.line, 'utf8') + 1;
  }
  return { entries, tornBytes };
}

/** Size of a file in bytes. */
export async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
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

/**
 * What opening or fsyncing a directory fails with where the platform or file system cannot do it
 * at all (Windows, some network and FUSE file systems), as against a disk that failed (EIO).
 */
const cannotSyncDirectories = new Set(['EISDIR', 'EACCES', 'EPERM', 'EBADF', 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP']);

/**
 * fsyncs a directory so a created, renamed or deleted name survives a power loss (POSIX only).
 * Throws when the disk fails it: a name that may not be durable must not be trusted.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    // Windows cannot open or fsync a directory; its file system journals names itself.
    const code = (err as NodeJS.ErrnoException).code;
    if (process.platform !== 'win32' && !cannotSyncDirectories.has(code ?? '')) throw err;
  } finally {
    await handle?.close();
  }
}
