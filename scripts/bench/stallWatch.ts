import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { constants, performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/**
 * Where the longest event-loop stall went, from the kernel's view of the main thread (Linux; every
 * field but `ms` is null elsewhere):
 * - `onCpuMs`: the main thread ran (JavaScript, V8's pauses, system calls, page faults);
 * - `waitingForCpuMs`: it was ready but waited for a CPU (other threads had both cores);
 * - the rest of `ms` it was asleep, blocked in the kernel, or its virtual CPU was not running;
 * - `stealMs`: time the hypervisor ran something else instead of this machine's virtual CPUs,
 *   summed over all of them (the kernel counts it in 10 ms ticks, so it is coarse);
 * - `minorFaults`, `voluntarySwitches`: page faults and times the main thread gave up its CPU.
 */
export interface StallAccount {
  ms: number;
  onCpuMs: number | null;
  waitingForCpuMs: number | null;
  stealMs: number | null;
  minorFaults: number | null;
  voluntarySwitches: number | null;
  /** V8's collections on the main thread inside the stall (from `gc` performance entries), by kind, ms. */
  gc: Partial<Record<GcKind, number>>;
}

type GcKind = 'minor' | 'major' | 'incremental' | 'weak callbacks';

const gcKinds: Record<number, GcKind> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

/** CPU time of each thread of this process while watched, ms (10 ms ticks): the main thread, and the others, most first. */
export interface ThreadsCpu {
  mainMs: number;
  othersMs: number[];
}

/** CPU ticks of each thread of this process by thread id; empty where /proc is not there. */
function threadTicks(): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const tid of readOr(() => readdirSync('/proc/self/task'), [] as string[])) {
    const stat = readOr(() => readFileSync(`/proc/self/task/${tid}/stat`, 'latin1'), '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const n = Number(fields[11]) + Number(fields[12]); // utime, stime
    if (Number.isFinite(n)) ticks.set(Number(tid), n);
  }
  return ticks;
}

interface Sample {
  at: number;
  runNs: number;
  waitNs: number;
  stealTicks: number;
  minorFaults: number;
  voluntarySwitches: number;
}

const TICK_MS = 10; // USER_HZ on Linux

function readOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/**
 * A /proc file kept open and read again from its start at every turn: each read makes its contents
 * anew, so a turn costs one read, not an open, a read and a close (about 30 µs for the four files
 * instead of about 160, on the main thread the watch is about). Null where the file is not there.
 */
class ProcFile {
  readonly #fd: number | null;
  readonly #buffer: Buffer;

  /** `bytes`: as much of the file as is wanted (the start of /proc/stat is enough). */
  constructor(file: string, bytes: number) {
    this.#fd = readOr(() => openSync(file, 'r'), null);
    this.#buffer = Buffer.allocUnsafe(bytes);
  }

  read(): string {
    if (this.#fd === null) throw new Error('not there');
    const n = readSync(this.#fd, this.#buffer, 0, this.#buffer.length, 0);
    return this.#buffer.toString('latin1', 0, n);
  }

  close(): void {
    if (this.#fd !== null) readOr(() => closeSync(this.#fd!), undefined);
  }
}

/**
 * Readings of the thread that makes it (the event loop, made and read from there) and of the
 * machine. /proc/thread-self is resolved when opened, so the files stay the main thread's.
 */
function sampler(): { sample: () => Sample | null; close: () => void } {
  const files = {
    schedstat: new ProcFile('/proc/thread-self/schedstat', 128),
    stat: new ProcFile('/proc/thread-self/stat', 1024),
    status: new ProcFile('/proc/thread-self/status', 4096),
    machine: new ProcFile('/proc/stat', 256),
  };
  const sample = (): Sample | null =>
    readOr(() => {
      const [run, wait] = files.schedstat.read().split(' ');
      const stat = files.stat.read();
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const switches = /voluntary_ctxt_switches:\s+(\d+)/.exec(files.status.read());
      const cpu = files.machine.read();
      const total = cpu.slice(0, cpu.indexOf('\n')).split(/\s+/);
      return {
        at: performance.now(),
        runNs: Number(run),
        waitNs: Number(wait),
        stealTicks: Number(total[8]),
        minorFaults: Number(fields[7]),
        voluntarySwitches: switches ? Number(switches[1]) : NaN,
      };
    }, null);
  return { sample, close: () => Object.values(files).forEach((file) => file.close()) };
}

const known = (n: number): number | null => (Number.isFinite(n) ? n : null);

/**
 * Watches the event loop with a 1 ms timer and keeps the account of the longest gap between two of
 * its turns. A diagnostic for the bench, not for the server: each turn reads four small /proc files
 * kept open (about 30 µs).
 */
export function watchStalls(): { stop: () => { longest: StallAccount; threads: ThreadsCpu } } {
  const ticksAtStart = threadTicks();
  const collections: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => collections.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const { sample, close } = sampler();
  let last = sample();
  let lastAt = performance.now();
  let worst: StallAccount = { ms: 0, onCpuMs: null, waitingForCpuMs: null, stealMs: null, minorFaults: null, voluntarySwitches: null, gc: {} };
  let worstFrom = lastAt;
  const timer = setInterval(() => {
    const now = sample();
    const at = now?.at ?? performance.now();
    const ms = at - lastAt;
    if (ms > worst.ms) {
      worst =
        now && last
          ? {
              ms,
              onCpuMs: known((now.runNs - last.runNs) / 1e6),
              waitingForCpuMs: known((now.waitNs - last.waitNs) / 1e6),
              stealMs: known((now.stealTicks - last.stealTicks) * TICK_MS),
              minorFaults: known(now.minorFaults - last.minorFaults),
              voluntarySwitches: known(now.voluntarySwitches - last.voluntarySwitches),
              gc: {},
            }
          : { ms, onCpuMs: null, waitingForCpuMs: null, stealMs: null, minorFaults: null, voluntarySwitches: null, gc: {} };
      worstFrom = lastAt;
    }
    last = now;
    lastAt = at;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      close();
      collections.push(...observer.takeRecords());
      observer.disconnect();
      const worstTo = worstFrom + worst.ms;
      for (const entry of collections) {
        const overlap = Math.min(worstTo, entry.startTime + entry.duration) - Math.max(worstFrom, entry.startTime);
        const kind = gcKinds[(entry as { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'major';
        if (overlap > 0) worst.gc[kind] = (worst.gc[kind] ?? 0) + overlap;
      }
      const spent = [...threadTicks()].map(([tid, n]) => [tid, (n - (ticksAtStart.get(tid) ?? 0)) * TICK_MS] as const);
      return {
        longest: worst,
        threads: {
          mainMs: spent.find(([tid]) => tid === process.pid)?.[1] ?? 0,
          othersMs: spent
            .filter(([tid, ms]) => tid !== process.pid && ms > 0)
            .map(([, ms]) => ms)
            .sort((a, b) => b - a),
        },
      };
    },
  };
}
