import type { Environment, Price, Region, ReleaseEnvironment } from '../types.js';

/** Values of the dispute enums (the PHP SDK's Constants: DisputeFilingReason, DisputeState, DisputeResolution, DisputeReasonCode, EvidenceType). */
export const filingReasons = ['ProductNotReceived', 'ProductUnacceptable', 'ProductNoLongerNeeded', 'CreditNotProcessed', 'Overcharged', 'DuplicateCharge', 'SubscriptionCancelled', 'Unrecognized', 'Fraudulent', 'Other'] as const;
export const disputeStates = ['UnderReview', 'ActionRequired', 'Resolved', 'Closed'] as const;
export const disputeResolutions = ['BuyerWon', 'MerchantWon', 'NoFault'] as const;
export const disputeReasonCodes = [
  'MerchantResponseRequired', 'MerchantAdditionalEvidencesRequired', 'BuyerAdditionalEvidencesRequired', 'MerchantAcceptedDispute',
  'MerchantResponseDeadlineExpired', 'BuyerCancelled', 'InvestigatorResolved', 'AutoResolved', 'ChargebackFiled',
] as const;
export const evidenceTypes = ['ProductDescription', 'Receipt', 'CancellationPolicy', 'CustomerSignature', 'TrackingNumber', 'CarrierName', 'DeviceId', 'DeviceName', 'DownloadDateTime', 'Other'] as const;

export type DisputeState = (typeof disputeStates)[number];

export interface DisputeStatusDetails {
  state: DisputeState;
  reasonCode: string | null;
  reasonDescription: string | null;
  resolution: string | null;
  lastUpdatedTimestamp: string;
}

export interface MerchantEvidence {
  evidenceType: string;
  fileId: string | null;
  evidenceText: string | null;
}

/** The Dispute wire object: the keys the Node SDK's integration test requires, and the rest the requests carry. */
export interface Dispute {
  disputeId: string;
  chargeId: string;
  disputeType: 'Chargeback';
  disputeAmount: Price;
  filingReason: string;
  filingTimestamp: string;
  resolutionAuthority: string;
  statusDetails: DisputeStatusDetails;
  merchantEvidences: MerchantEvidence[] | null;
  merchantResponseDeadline: string;
  providerMetadata: { providerDisputeId: string | null } | null;
  creationTimestamp: string;
  closureTimestamp: string | null;
  releaseEnvironment: ReleaseEnvironment;
}

export interface DisputeRecord {
  dispute: Dispute;
  /** Where its charge is: the dispute is seen from that environment and region only (region absent on records saved before). */
  meta: { environment: Environment; region?: Region; deadlineMs: number };
}

/** "Dispute Window (11 days for Chargeback, 7 days for A-Z Claims)" (the SDKs' contestDispute doc). */
export const CHARGEBACK_RESPONSE_WINDOW_MS = 11 * 24 * 60 * 60 * 1000;
/** States a dispute can still change from. */
export const openDisputeStates: readonly DisputeState[] = ['ActionRequired', 'UnderReview'];
