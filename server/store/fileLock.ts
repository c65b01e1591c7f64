import { readFileSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Lock files held by this process: a lock carrying our own pid is stale unless it is listed here. */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
  return !isZombie(pid);
}

/**
 * A process killed (kill -9) but not yet waited for by its parent is a zombie: signal 0 still
 * reaches it, yet it holds nothing. Harnesses that kill a child and start a new one before
 * reaping it (Python's Popen, Go's exec.Cmd without Wait) leave exactly that. Linux says so in
 * /proc/<pid>/stat (state Z or X after the command name); elsewhere, assume alive.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false;
  }
}

async function readPid(lockFile: string): Promise<number | null | 'gone'> {
  try {
    const text = (await readFile(lockFile, 'utf8')).trim();
    return /^\d+$/.test(text) ? Number(text) : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
}

/** The lock file `<file>.lock` guarding a store file; holds the owner's pid. */
export class FileLock {
  readonly #lockFile: string;
  #held = false;

  constructor(readonly file: string) {
    this.#lockFile = path.resolve(`${file}.lock`);
  }

  get lockFile(): string {
    return this.#lockFile;
  }

  /**
   * Takes the lock, or throws when a live process (or another store in this one) holds it. A lock
   * left by a dead process, or carrying our own pid from an earlier life (containers reuse pids),
   * is taken over.
   */
  async acquire(): Promise<void> {
    if (heldHere.has(this.#lockFile)) throw this.#inUse(process.pid, 'another FileStore in this process');
    heldHere.add(this.#lockFile); // reserved now, so a concurrent open in this process sees it
    try {
      await this.#take();
      this.#held = true;
    } catch (err) {
      heldHere.delete(this.#lockFile);
      throw err;
    }
  }

  async #take(): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const handle = await open(this.#lockFile, 'wx');
        try {
          await handle.writeFile(`${process.pid}\n`);
          await handle.sync();
        } catch (err) {
          await unlink(this.#lockFile).catch(() => {});
          throw err;
        } finally {
          await handle.close();
        }
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      let pid = await readPid(this.#lockFile);
      if (pid === null) {
        // Created but not yet written by its owner, or left empty by a crash: look again shortly.
        await new Promise((resolve) => setTimeout(resolve, 100));
        pid = await readPid(this.#lockFile);
      }
      if (pid === 'gone') continue;
      if (pid !== null && pid !== process.pid && isAlive(pid)) throw this.#inUse(pid, `process ${pid}`);
      // Stale: remove it and race for it again with `wx`, so only one contender wins.
      await unlink(this.#lockFile).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
    throw new Error(`store: could not take the lock ${this.#lockFile}; other processes keep taking it`);
  }

  /** Removes the lock file if we hold it. */
  async release(): Promise<void> {
    if (!this.#held) return;
    this.#held = false;
    heldHere.delete(this.#lockFile);
    if ((await readPid(this.#lockFile)) !== process.pid) return; // someone removed it and took over
    await unlink(this.#lockFile).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  #inUse(pid: number, who: string): Error {
    return new Error(
      `store: ${path.resolve(this.file)} is in use by ${who} (lock file ${this.#lockFile}, pid ${pid}). ` +
        'Only one emulator may use a state file at a time: stop the other one, or point this one at another ' +
        'file (--db-file / --data-dir). If no other emulator runs, delete the lock file.',
    );
  }
}
