import { readFileSync } from 'node:fs';

/**
 * CPU time of this process's main thread (the event loop), µs, or null where the kernel does not
 * say (Linux only: /proc/self/task/<pid>/stat, in clock ticks of 10 ms). process.cpuUsage counts
 * every thread, so it cannot tell work on the event loop from work handed to libuv's thread pool
 * (the native signature check) or to V8's helper threads; this can.
 */
export function mainThreadCpuUs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
    return Number.isFinite(ticks) ? ticks * 10_000 : null;
  } catch {
    return null;
  }
}
