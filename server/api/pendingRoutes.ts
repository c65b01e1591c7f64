import { notEmulated } from '../domain/notEmulated.js';
import type { OperationName } from '../domain/operationNames.js';
import type { HttpMethod, OperationRoute } from './operationRoute.js';

/** An SDK operation that is routed (so it is signed, journaled and scriptable) but not emulated. */
interface Pending {
  name: OperationName;
  method: HttpMethod;
  path: string;
  /** The SDK methods that call it (several SDK methods may share one route). */
  sdk: readonly string[];
}

const pending: Pending[] = [];

/**
 * SDK operations the emulator does not serve yet: each answers 501 `OperationNotEmulated` after
 * the signature check. The README's "What is emulated" section lists the same names.
 */
export const pendingOperations: readonly OperationName[] = pending.map((p) => p.name);

export const pendingRoutes: OperationRoute[] = pending.map((p) => ({
  name: p.name,
  method: p.method,
  path: p.path,
  // The body is not read: nothing about it can be wrong until the operation is emulated.
  hasBody: false,
  ...(p.method === 'POST' ? { idempotency: 'optional' as const } : {}),
  run: () => {
    throw notEmulated(p.name, `${p.method} /v2${p.path}`, p.sdk);
  },
}));
