import { reasonCodes, type ReasonCode } from './reasonCodes.js';

/** Extra facts an error carries for the journal and for diagnostics, never sent on the wire. */
export interface ErrorDiagnostics {
  canonicalRequest?: string;
  stringToSign?: string;
  [key: string]: unknown;
}

/** An error the emulator answers as Amazon would: `{"reasonCode","message"}` with its status. */
export class AmazonPayError extends Error {
  readonly status: number;
  readonly diagnostics?: ErrorDiagnostics;

  /** The catalog's message and status unless given (a scripted error may answer another status). */
  constructor(
    readonly reasonCode: ReasonCode,
    options: { message?: string; diagnostics?: ErrorDiagnostics; status?: number } = {},
  ) {
    super(options.message ?? reasonCodes[reasonCode].message);
    this.name = 'AmazonPayError';
    this.status = options.status ?? reasonCodes[reasonCode].status;
    this.diagnostics = options.diagnostics;
  }

  /** The wire body: exactly the two keys Amazon sends. */
  toBody(): { reasonCode: string; message: string } {
    return { reasonCode: this.reasonCode, message: this.message };
  }
}

/** Raises a catalog entry, optionally with a specific message. */
export function apiError(code: ReasonCode, message?: string, diagnostics?: ErrorDiagnostics): AmazonPayError {
  return new AmazonPayError(code, { message, diagnostics });
}
