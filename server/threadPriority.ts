import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The lowest CPU priority a nice value gives (the highest nice value). */
export const LOWEST_PRIORITY_NICE = 19;

/**
 * Lowers the CPU priority of every thread of this process but the main one (the event loop) by
 * `steps` nice values, never past 19: V8's garbage-collector helpers, the delayed-task thread and
 * libuv's thread pool (file writes, the native signature check). On a machine with few cores those
 * threads otherwise take a CPU from the event loop for a whole scheduler slice: while a million
 * records were written to a snapshot, the event loop waited up to 19 ms at a time for a CPU, with
 * V8's four marking threads running on both cores. With them lowered, the event loop gets a CPU
 * first and they run on what is left, which on an idle core is all of it.
 *
 * Linux keeps a nice value per thread and `setpriority` takes a thread id there; elsewhere the
 * value is per process and this does nothing. Threads made later by the main thread (a worker)
 * start at its priority. A thread that ends meanwhile, or a kernel that refuses, is skipped: this
 * is a preference, never a reason not to start. Returns how many threads were lowered, or null
 * where there is nothing to do (not Linux, or /proc unreadable).
 */
export function lowerHelperThreads(steps: number, platform: NodeJS.Platform = process.platform): number | null {
  if (steps <= 0 || platform !== 'linux') return null;
  let threads: string[];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  let lowered = 0;
  for (const entry of threads) {
    const tid = Number(entry);
    if (!Number.isSafeInteger(tid) || tid === process.pid) continue;
    try {
      const now = getPriority(tid);
      const wanted = Math.min(LOWEST_PRIORITY_NICE, now + steps);
      if (wanted > now) {
        setPriority(tid, wanted);
        lowered++;
      }
    } catch {
      // the thread ended, or the kernel said no: leave it
    }
  }
  return lowered;
}
