import type { IdGenerator } from './domain/ids.js';
import type { ChargePermissionType, Environment, Region } from './domain/types.js';
import type { Store, StoreView, Transaction } from './store/store.js';

/**
 * `store.transact` for work that draws ids: a store may run the work more than once (a record it
 * read changed, or was not durable yet), and each run gets the ids the previous run drew, in the
 * same order, so a re-run neither burns ids nor shifts a seeded sequence.
 */
export function transactWithIds<R>({ store, ids }: { store: Store; ids: IdGenerator }, ns: string, work: (view: StoreView, ids: IdGenerator) => Transaction<R>): Promise<R> {
  const replaying = replayingIds(ids);
  return store.transact(ns, (view) => {
    replaying.rewind();
    return work(view, replaying.ids);
  });
}

type Arg = string | number | undefined;

/** One id handed out: by which method, for which arguments (all primitives in IdGenerator). */
interface Drawn {
  method: keyof IdGenerator;
  args: readonly Arg[];
  value: string;
}

/**
 * A transaction's id source: it records what it hands out, in order, and after `rewind()` a run
 * making the same calls gets the same ids. Each method is spelled out (no proxy or reflection), so
 * a method added to IdGenerator fails to compile here until it is replayed too.
 */
class ReplayingIds implements IdGenerator {
  readonly #drawn: Drawn[] = [];
  #next = 0;

  constructor(private readonly source: IdGenerator) {}

  rewind(): void {
    this.#next = 0;
  }

  /** The id this call gets: the one drawn at this point before, while the run so far is the same; else a new one. */
  #draw(method: keyof IdGenerator, args: readonly Arg[], make: () => string): string {
    const seen = this.#drawn[this.#next];
    if (seen !== undefined && seen.method === method && seen.args.length === args.length && seen.args.every((a, i) => a === args[i])) {
      this.#next++;
      return seen.value;
    }
    // This run took another path: what was drawn from here on is not replayed.
    this.#drawn.length = this.#next;
    const value = make();
    this.#drawn.push({ method, args, value });
    this.#next++;
    return value;
  }

  uuid(): string {
    return this.#draw('uuid', [], () => this.source.uuid());
  }
  digits(count: number): string {
    return this.#draw('digits', [count], () => this.source.digits(count));
  }
  alphanumeric(count: number): string {
    return this.#draw('alphanumeric', [count], () => this.source.alphanumeric(count));
  }
  chargePermissionId(region: Region, environment: Environment, type: ChargePermissionType): string {
    return this.#draw('chargePermissionId', [region, environment, type], () => this.source.chargePermissionId(region, environment, type));
  }
  chargeBase(region: Region, environment: Environment): string {
    return this.#draw('chargeBase', [region, environment], () => this.source.chargeBase(region, environment));
  }
  chargeId(base: string): string {
    return this.#draw('chargeId', [base], () => this.source.chargeId(base));
  }
  refundId(chargeId: string): string {
    return this.#draw('refundId', [chargeId], () => this.source.refundId(chargeId));
  }
  buyerId(): string {
    return this.#draw('buyerId', [], () => this.source.buyerId());
  }
  numericId(length?: number): string {
    return this.#draw('numericId', [length], () => this.source.numericId(length));
  }
  reportDocumentId(): string {
    return this.#draw('reportDocumentId', [], () => this.source.reportDocumentId());
  }
  disputeId(chargeId: string): string {
    return this.#draw('disputeId', [chargeId], () => this.source.disputeId(chargeId));
  }
  token(): string {
    return this.#draw('token', [], () => this.source.token());
  }
}

/** An id source that records what it hands out; after `rewind()` the same calls get the same ids. */
export function replayingIds(source: IdGenerator): { ids: IdGenerator; rewind: () => void } {
  const ids = new ReplayingIds(source);
  return { ids, rewind: () => ids.rewind() };
}
