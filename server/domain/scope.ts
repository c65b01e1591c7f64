import { fieldOf, isJsonObject } from './jsonObject.js';
import type { StateView } from './operation.js';
import type { Environment, Region } from './types.js';

/** Where a call is made: objects live in one environment and one region. */
export interface Scope {
  environment: Environment;
  region: Region;
}

/** Whether a stored record belongs to the scope (records that carry no placement belong everywhere). */
export function inScope(record: unknown, scope: Scope): boolean {
  const meta = fieldOf(record, 'meta');
  if (!isJsonObject(meta)) return true;
  if (meta.environment !== undefined && meta.environment !== scope.environment) return false;
  if (meta.region !== undefined && meta.region !== scope.region) return false;
  return true;
}

/**
 * The caller's namespace as seen from one environment and region. Sandbox and Live are separate
 * worlds, and so are the NA, EU and JP endpoints ("API introduction": one host per region, one
 * environment per key): an object of another environment or region is simply not there, so every
 * lookup answers 404 ResourceNotFound as for an unknown id.
 */
export function scopedView(state: StateView, scope: Scope): StateView {
  return {
    get<T>(collection: Parameters<StateView['get']>[0], id: string): T | undefined {
      const record = state.get<T>(collection, id);
      return record !== undefined && inScope(record, scope) ? record : undefined;
    },
    list<T>(collection: Parameters<StateView['list']>[0]): T[] {
      return state.list<T>(collection).filter((record) => inScope(record, scope));
    },
  };
}
