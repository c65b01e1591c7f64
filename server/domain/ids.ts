import type { ChargePermissionType, Environment, Region } from './types.js';

/**
 * Where the domain gets every id it hands out (formats: docs/amazon-pay-notes.md, "Id formats").
 * The generator itself lives outside the domain (server/ids/), with its random source.
 */
export interface IdGenerator {
  /** Lowercase UUID v4, the form of checkoutSessionId and of request ids. */
  uuid(): string;
  /** `count` decimal digits. */
  digits(count: number): string;
  /** `count` characters of A-Z0-9. */
  alphanumeric(count: number): string;
  /** `S01-1234567-1234567` and its kin: letter by environment and permission type, digit by region. */
  chargePermissionId(region: Region, environment: Environment, type: ChargePermissionType): string;
  /** A fresh `S01-…-…` base for charges that do not hang off a one-time permission id. */
  chargeBase(region: Region, environment: Environment): string;
  chargeId(base: string): string;
  refundId(chargeId: string): string;
  buyerId(): string;
  /** An all-digit id without a leading zero (report and schedule ids). */
  numericId(length?: number): string;
  /** The form of a reportDocumentId. */
  reportDocumentId(): string;
  /** `<charge base>-B<6 digits>`, the form of a disputeId. */
  disputeId(chargeId: string): string;
  /** 32 hex characters: the secret part of a download or upload URL. */
  token(): string;
}

/**
 * The same generator, noting every id it hands out in `issued`: a write whose id was issued by
 * this very operation but is already stored is a collision, never an update.
 */
export function recordingIds(ids: IdGenerator, issued: Set<string>): IdGenerator {
  return new RecordingIds(ids, issued);
}

/** A class rather than a wrapper object with fresh closures: one is made per operation. */
class RecordingIds implements IdGenerator {
  constructor(
    private readonly ids: IdGenerator,
    private readonly issued: Set<string>,
  ) {}

  private note(id: string): string {
    this.issued.add(id);
    return id;
  }

  uuid(): string {
    return this.note(this.ids.uuid());
  }
  chargePermissionId(region: Region, environment: Environment, type: ChargePermissionType): string {
    return this.note(this.ids.chargePermissionId(region, environment, type));
  }
  chargeBase(region: Region, environment: Environment): string {
    return this.note(this.ids.chargeBase(region, environment));
  }
  chargeId(base: string): string {
    return this.note(this.ids.chargeId(base));
  }
  refundId(chargeId: string): string {
    return this.note(this.ids.refundId(chargeId));
  }
  buyerId(): string {
    return this.note(this.ids.buyerId());
  }
  // Not objects' own ids (parts of ids, report and dispute ids, tokens): handed out unnoted.
  digits(count: number): string {
    return this.ids.digits(count);
  }
  alphanumeric(count: number): string {
    return this.ids.alphanumeric(count);
  }
  numericId(length?: number): string {
    return length === undefined ? this.ids.numericId() : this.ids.numericId(length);
  }
  reportDocumentId(): string {
    return this.ids.reportDocumentId();
  }
  disputeId(chargeId: string): string {
    return this.ids.disputeId(chargeId);
  }
  token(): string {
    return this.ids.token();
  }
}
