import { setImmediate } from 'node:timers';

/**
 * Turns of the event loop for the store's background work. Writing a snapshot, packing cold
 * records and finding expired ones each work a few ms at a time and then wait here for their next
 * slice; slices are handed out one per turn of the loop, in the order they were asked for. Jobs
 * that each waited on their own `setImmediate` would all run in the same turn whenever they
 * overlap (a compaction while a burst of records goes cold, say), holding requests and timers for
 * the sum of their slices instead of one.
 *
 * Imported from node:timers, not the global: a test that fakes the global timers must not stop
 * the store's own work.
 */
export class SliceQueue {
  readonly #waiting: Array<() => void> = [];
  #granting = false;

  /**
   * Resolves when the caller's next slice starts: in the check phase of a later turn of the event
   * loop, after every slice asked for before it, one slice per turn.
   */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      if (!this.#granting) {
        this.#granting = true;
        setImmediate(this.#grant);
      }
    });
  }

  /** How many jobs wait for a slice. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Starts one slice. Its job runs in the microtasks right after this callback; what it asks for
   * next, and everyone else, waits for a later turn (an immediate queued while immediates run
   * runs in the next turn).
   */
  readonly #grant = (): void => {
    this.#waiting.shift()?.();
    if (this.#waiting.length > 0) setImmediate(this.#grant);
    else this.#granting = false;
  };
}

/** The one queue of the process: every store in it shares the one event loop. */
export const backgroundSlices = new SliceQueue();
