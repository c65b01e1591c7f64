import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { watchStalls } from '../../scripts/bench/stallWatch.js';

/** The calling thread's time on a CPU, ns (Linux), or null. */
const onCpuNs = (): number | null => {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]);
  } catch {
    return null;
  }
};

/**
 * Holds the event loop for `ms` of this thread's own CPU time where the kernel tells it (so a
 * loaded machine that preempts the test cannot leave it short), else of wall time.
 */
const busy = (ms: number) => {
  const start = onCpuNs();
  if (start === null) {
    const until = performance.now() + ms;
    while (performance.now() < until);
    return;
  }
  while (onCpuNs()! - start < ms * 1e6);
};

describe("watchStalls (the bench's account of a compaction's longest stall)", () => {
  it("keeps the longest gap between turns of the event loop, with the main thread's share of it and every thread's CPU", async () => {
    const watch = watchStalls();
    await new Promise((r) => setTimeout(r, 20));
    busy(15);
    await new Promise((r) => setTimeout(r, 10));
    busy(60); // the longest: the loop is held for 60 ms
    await new Promise((r) => setTimeout(r, 10));
    const { longest, threads } = watch.stop();
    expect(longest.ms).toBeGreaterThanOrEqual(60);
    expect(longest.ms).toBeLessThan(1_000);
    if (process.platform === 'linux') {
      // The kernel's view of the same gap: the thread either ran or waited for a CPU, nothing in between.
      expect(longest.onCpuMs).not.toBeNull();
      expect(longest.onCpuMs! + longest.waitingForCpuMs!).toBeGreaterThan(longest.ms * 0.5);
      expect(longest.onCpuMs! + longest.waitingForCpuMs!).toBeLessThanOrEqual(longest.ms + 2);
      expect(threads.mainMs).toBeGreaterThanOrEqual(60);
    } else {
      expect(longest.onCpuMs).toBeNull();
    }
  });

  it.runIf(process.platform === 'linux')('keeps its /proc files open only while it watches', async () => {
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const before = openFiles();
    const watch = watchStalls();
    expect(openFiles()).toBe(before + 4);
    await new Promise((r) => setTimeout(r, 5));
    watch.stop();
    expect(openFiles()).toBe(before);
  });
});
