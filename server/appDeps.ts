import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from './config.js';
import { dbFilePath, packagePath } from './config.js';
import { ControlledClock } from './domain/clock.js';
import { IdGenerator, pooledRandom, seededRandom } from './domain/ids.js';
import { KeyRegistry } from './signing/keyRegistry.js';
import { createVerifier, type SignatureVerifier } from './signing/verifier.js';
import { createStore } from './store/createStore.js';
import type { Store } from './store/store.js';
import { ScenarioBook } from './admin/scenarioBook.js';

/** Everything the app is built from; tests pass their own pieces, the rest come from the Config. */
export interface AppDeps {
  store: Store;
  clock: ControlledClock;
  /** Real time, for x-amz-pay-date checks and durations; the business clock is `clock`. */
  wallTime: () => number;
  keys: KeyRegistry;
  verifier: SignatureVerifier;
  ids: IdGenerator;
  scenarios: ScenarioBook;
  /** Messages worth a line at start-up (keys skipped, scenario files read). */
  startupNotes: string[];
  /** Where log lines go (stdout when absent). */
  logStream?: NodeJS.WritableStream;
}

/** Fills in every dependency the caller did not provide, from the Config. */
export function createDeps(config: Config, given: Partial<AppDeps> = {}): AppDeps {
  const wallTime = given.wallTime ?? (() => Date.now());
  const startupNotes: string[] = [...(given.startupNotes ?? [])];
  let keys = given.keys;
  if (!keys) {
    keys = new KeyRegistry();
    for (const dir of [packagePath('fixtures/keys'), ...(config.keysDir ? [path.resolve(config.keysDir)] : [])]) {
      const result = keys.loadDir(dir);
      if (result.loaded.length) startupNotes.push(`keys from ${dir}: ${result.loaded.join(', ')}`);
      for (const e of result.errors) startupNotes.push(`key file ${e.file}: ${e.message}`);
    }
  }
  let scenarios = given.scenarios;
  if (!scenarios) {
    scenarios = new ScenarioBook(config.scenariosDir ? packagePath(config.scenariosDir) : null);
    startupNotes.push(...scenarios.loadFiles());
  }
  return {
    store: given.store ?? createStore(config.store, dbFilePath(config)),
    clock: given.clock ?? new ControlledClock(wallTime),
    wallTime,
    keys,
    verifier: given.verifier ?? createVerifier(config.verifier),
    ids: given.ids ?? new IdGenerator(config.seed ? seededRandom(config.seed) : pooledRandom((n) => randomBytes(n))),
    scenarios,
    startupNotes,
    logStream: given.logStream,
  };
}
