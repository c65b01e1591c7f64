import type { IdempotencyKeys } from './api/idempotencyKeys.js';
import type { AppDeps } from './appDeps.js';
import type { Config } from './config.js';
import type { DomainSettings } from './domain/operation.js';
import type { Settler } from './settler.js';

/**
 * What every route (emulated API, control API, hosted pages) works with: the app's dependencies,
 * the config, the domain settings derived from it, the settler and the idempotency keys. One
 * object per app, also reachable as `app.mock`.
 */
export interface MockContext extends AppDeps {
  config: Config;
  settings: DomainSettings;
  settler: Settler;
  idempotency: IdempotencyKeys;
}
