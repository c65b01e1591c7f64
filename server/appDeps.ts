import path from 'node:path';
import type { Config } from './config.js';
import { dbFilePath, packagePath, publicUrlOf } from './config.js';
import { IpnService } from './ipn/ipnService.js';
import { NotifyingStore } from './ipn/notifyingStore.js';
import { ClockBook } from './clock/clockBook.js';
import { ControlledClock, systemTime } from './clock/controlledClock.js';
import type { IdGenerator } from './domain/ids.js';
import { seededRandom, seededSource, systemRandom } from './ids/random.js';
import { RandomIdGenerator } from './ids/randomIdGenerator.js';
import { IdReservation } from './store/serverState.js';
import { KeyRegistry } from './signing/keyRegistry.js';
import { createVerifier } from './signing/createVerifier.js';
import type { SignatureVerifier } from './signing/verifier.js';
import { asStore, createStore, notesOf, retentionOptions, statusOf } from './store/createStore.js';
import type { StoreNote, StoreStatus } from './store/errors.js';
import { Journal, type RequestJournal } from './journal/journal.js';
import { RedisJournal } from './journal/redisJournal.js';
import { RedisStore } from './store/redisStore.js';
import type { EmbeddedEngine, Store } from './store/store.js';
import { rulesInStore, ScenarioBook } from './scenarios/book.js';
import { info, warn, type StartupNote } from './startupNote.js';

/** Everything the app is built from; tests pass their own pieces, the rest come from the Config. */
export interface AppDeps {
  store: Store;
  /** The store's health (degraded while writes fail) and what it wants logged after opening. */
  storeHealth: { status(): StoreStatus; notes(): StoreNote[] };
  /** The server clock (the global one; merchants may run on their own, see `clocks`). */
  clock: ControlledClock;
  /** The server clock plus each merchant's own offset. */
  clocks: ClockBook;
  /** Real time, for x-amz-pay-date checks and durations; the business clock is `clock`. */
  wallTime: () => number;
  keys: KeyRegistry;
  verifier: SignatureVerifier;
  ids: IdGenerator;
  scenarios: ScenarioBook;
  /** Lines worth logging at start-up (keys loaded or refused, scenario files read or skipped). */
  startupNotes: StartupNote[];
  /** Instant Payment Notifications: the store below tells it about every commit. */
  ipn: IpnService;
  /** The request journal (recent calls to the emulated API). */
  journal: RequestJournal;
  /** Whether this process runs the background sweeps now: always, unless the store is shared (Redis) and another process holds the lease. */
  sweepLease: { readonly held: boolean };
  /** The store is shared with other processes (Redis): clocks and registered keys are re-read from it before requests use them. */
  sharedStore: boolean;
  /** With --seed: keeps the seeded id sequence from repeating stored ids after a restart. */
  idReservation: IdReservation | null;
  /** Where log lines go (stdout when absent). */
  logStream?: NodeJS.WritableStream;
}

/** What a caller may provide: any dependency; the store may also be a bare embedded engine. */
export type GivenDeps = Partial<Omit<AppDeps, 'store'>> & { store?: Store | EmbeddedEngine };

/** Fills in every dependency the caller did not provide, from the Config. */
export function createDeps(config: Config, given: GivenDeps = {}): AppDeps {
  const wallTime = given.wallTime ?? systemTime;
  const startupNotes: StartupNote[] = [...(given.startupNotes ?? [])];
  let keys = given.keys;
  if (!keys) {
    keys = new KeyRegistry();
    for (const dir of [packagePath('fixtures/keys'), ...(config.keysDir ? [path.resolve(config.keysDir)] : [])]) {
      const result = keys.loadDir(dir);
      if (result.loaded.length) startupNotes.push(info(`keys from ${dir}: ${result.loaded.join(', ')}`));
      for (const e of result.errors) startupNotes.push(warn(`key file ${e.file}: ${e.message}`));
    }
  }
  const clock = given.clock ?? given.clocks?.global ?? new ControlledClock(wallTime);
  const inner = given.store
    ? asStore(given.store)
    : config.store === 'redis'
      ? new RedisStore({ url: config.redisUrl, prefix: config.redisPrefix, ...retentionOptions(config.retentionDays) })
      : createStore(config.store, dbFilePath(config), retentionOptions(config.retentionDays));
  const redis = inner instanceof RedisStore ? inner : null;
  let scenarios = given.scenarios;
  if (!scenarios) {
    // On a shared store, rules added through the control API are shared (and used up) by every instance.
    scenarios = new ScenarioBook(config.scenariosDir ? packagePath(config.scenariosDir) : null, redis ? rulesInStore(redis) : undefined);
    startupNotes.push(...scenarios.loadFiles());
  }
  // IPN ids come from their own generator, so notifications never shift the API's ids under --seed.
  const ipnIds = new RandomIdGenerator(config.seed ? seededRandom(`${config.seed}:ipn`) : systemRandom());
  const sweepLease = given.sweepLease ?? redis?.lease ?? { held: true };
  const ipn =
    given.ipn ??
    new IpnService({
      // The outbox is in the store; on a shared one the lease holder delivers what is due.
      runner: sweepLease,
      store: inner,
      ids: ipnIds,
      publicUrl: () => publicUrlOf(config),
      defaultUrls: config.ipnUrls,
      defaultSigned: config.ipnSigned,
      retryDelaysMs: config.ipnRetryDelaysMs,
      timeoutMs: config.ipnTimeoutMs,
    });
  const seeded = !given.ids && config.seed ? seededSource(config.seed) : null;
  return {
    store: new NotifyingStore(inner, ipn),
    idReservation: given.idReservation ?? (seeded ? new IdReservation(inner, seeded) : null),
    storeHealth: given.storeHealth ?? { status: () => statusOf(inner), notes: () => notesOf(inner) },
    ipn,
    clock,
    clocks: given.clocks ?? new ClockBook(clock),
    wallTime,
    keys,
    verifier: given.verifier ?? createVerifier(config.verifier),
    ids: given.ids ?? new RandomIdGenerator(seeded ? seeded.random : systemRandom()),
    scenarios,
    startupNotes,
    logStream: given.logStream,
    journal: given.journal ?? (redis ? new RedisJournal(redis.client, redis.prefix, config.journalSize) : new Journal(config.journalSize)),
    sweepLease,
    sharedStore: given.sharedStore ?? redis !== null,
  };
}
