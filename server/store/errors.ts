import { apiError, type AmazonPayError } from '../domain/errors.js';

/** A write the store could not make durable (disk full, I/O error): nothing of it was kept. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** The answer to a StoreUnavailableError, for the API, the dashboard and the hosted pages alike: 503, nothing changed, retry later. */
export function storeUnavailable(): AmazonPayError {
  return apiError('ServiceUnavailable', 'The emulator could not reach or write its store (a full or failing disk, or Redis unreachable); nothing was changed. Retry later.');
}

/** The store cannot start: the message says what, which file, and what to do. */
export class StoreOpenError extends Error {
  override name = 'StoreOpenError';

  constructor(
    message: string,
    readonly file: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** What the store says about itself, for /__admin/health and the start-up log. */
export interface StoreStatus {
  /** `degraded`: the last write failed; reads work, writes answer 503 until the disk recovers. */
  status: 'ok' | 'degraded';
  error: string | null;
}

/** A line worth logging once the store is open (a torn log tail, a converted snapshot). */
export interface StoreNote {
  level: 'info' | 'warn';
  message: string;
}
