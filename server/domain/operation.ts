import type { Collection, Put } from './writes.js';
import type { RequestContext } from './types.js';

/** Read access to the caller's namespace, as the domain sees it (no I/O behind the domain's back). */
export interface StateView {
  get<T>(collection: Collection, id: string): T | undefined;
  /** Every record of a collection (for the few operations that list, e.g. Get Disbursements). */
  list<T>(collection: Collection): T[];
}

/** What a domain operation returns: the wire answer and the writes that make it true. */
export interface OperationResult<B = unknown> {
  status: number;
  body: B;
  writes: Put[];
  /** Response headers beyond the usual (e.g. the Location of a 303). */
  headers?: Record<string, string>;
}

/** What a call brings besides its path id: the JSON body, a scripted outcome, a solution provider's token. */
export interface OperationInput {
  body: unknown;
  override?: import('./override.js').Override;
  /** The x-amz-pay-authtoken a solution provider sent (already checked to be one the mock issued). */
  authToken?: string;
}

/** Settings the domain reads that come from the Config. */
export interface DomainSettings {
  /** Base URL of the mock's hosted pages, used for amazonPayRedirectUrl. */
  publicUrl: string;
  buyerApproval: 'auto' | 'manual';
  pendingDelayMs: number;
  /** Fixed rates for convertedAmount/conversionRate on multi-currency charges. */
  conversionRates: import('./conversion.js').ConversionRates;
}

/** Everything an operation may use besides its input: who calls, when, ids and settings. */
export interface OperationEnv {
  ctx: RequestContext;
  state: StateView;
  ids: import('./ids.js').IdGenerator;
  settings: DomainSettings;
}

/** An error answer that still changes state (e.g. a session that expired while being completed). */
export function errorResult(error: import('./errors.js').AmazonPayError, writes: Put[]): OperationResult<{ reasonCode: string; message: string }> {
  return { status: error.status, body: error.toBody(), writes };
}
