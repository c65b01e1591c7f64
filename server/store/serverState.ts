import type { ClockBook } from '../clock/clockBook.js';
import type { ClockSetting } from '../clock/controlledClock.js';
import type { SeededSource } from '../ids/random.js';
import type { Store } from './store.js';

/**
 * Namespace of state that belongs to the server rather than to a merchant: the global clock and
 * the id generator's position. A full reset clears it like everything else.
 */
export const SERVER_NAMESPACE = '~server';

const CLOCK_ID = 'clock';
const IDS_ID = 'idGenerator';

/**
 * Saves the clock the control API just moved (a merchant's own, or the global one), so it survives
 * a restart. A save the store refuses (a full disk) puts the clock back to `before` and rethrows:
 * the move is answered 503 "nothing was changed", so nothing may have changed.
 */
export async function saveClock(store: Store, clocks: ClockBook, merchant: string | undefined, before: ClockSetting): Promise<void> {
  const clock = clocks.control(merchant);
  const setting = clock.setting();
  try {
    await store.transact(merchant ?? SERVER_NAMESPACE, () => ({ puts: [{ collection: 'settings', id: CLOCK_ID, value: setting }], result: undefined }));
  } catch (err) {
    clock.restore(before);
    throw err;
  }
}

/** The clock setting saved for a merchant (or, without one, for the server), if any. */
export function readClock(store: Store, merchant?: string): Promise<ClockSetting | undefined> {
  return store.read<ClockSetting>(merchant ?? SERVER_NAMESPACE, 'settings', CLOCK_ID);
}

/** Puts back the clocks saved before a restart: the global one and every merchant's own. */
export async function restoreClocks(store: Store, clocks: ClockBook): Promise<void> {
  const { global, own } = await readClocks(store, await store.namespaces());
  if (global) clocks.global.restore(global);
  for (const [ns, setting] of own) if (setting) clocks.control(ns).restore(setting);
}

/** The saved server clock and the saved clocks of `merchants` (undefined: never moved, or reset), read together. */
export async function readClocks(store: Store, merchants: readonly string[]): Promise<{ global: ClockSetting | undefined; own: [string, ClockSetting | undefined][] }> {
  const names = merchants.filter((ns) => ns !== SERVER_NAMESPACE);
  const [global, ...own] = await Promise.all([readClock(store), ...names.map((ns) => readClock(store, ns))]);
  return { global, own: names.map((ns, i) => [ns, own[i]]) };
}

/**
 * Keeps a seeded id generator from handing out, after a restart, ids it handed out before
 * (`--seed` restarts the sequence otherwise, and new objects would overwrite stored ones). The
 * store holds a mark ahead of every word drawn; a restart continues from the mark. The mark moves
 * in blocks, each move one small commit queued before the commit of any object whose id used the
 * block, so it is durable whenever such an object is.
 */
export class IdReservation {
  #reserved = 0;

  constructor(
    private readonly store: Store,
    private readonly source: SeededSource,
    private readonly block = 65_536,
  ) {}

  /** Continues after the saved mark, reserves the next block, then watches every draw. */
  async restore(): Promise<void> {
    const saved = await this.store.read<{ reservedWords: number }>(SERVER_NAMESPACE, 'settings', IDS_ID);
    if (saved && Number.isSafeInteger(saved.reservedWords)) this.source.skipTo(saved.reservedWords);
    await this.#reserve();
    this.source.onDraw = (words) => {
      if (words + this.block / 2 > this.#reserved) this.#reserve().catch(() => {}); // a failed write is tried again on the next draw
    };
  }

  /** Writes the mark again (after a reset cleared it). */
  persist(): Promise<void> {
    return this.#write(this.#reserved);
  }

  #reserve(): Promise<void> {
    const mark = this.source.words() + this.block;
    this.#reserved = mark;
    return this.#write(mark).catch((err: unknown) => {
      if (this.#reserved === mark) this.#reserved = 0;
      throw err;
    });
  }

  #write(mark: number): Promise<void> {
    // No reads: the embedded store hands the puts to its log at once, ahead of the commit that drew the ids.
    return this.store.transact(SERVER_NAMESPACE, () => ({ puts: [{ collection: 'settings', id: IDS_ID, value: { reservedWords: mark } }], result: undefined }));
  }
}
