import { DAY, HOUR, MINUTE } from '../time.js';

/** Report types of the Reports API (the SDKs' ReportTypes enum). */
export const reportTypes = [
  '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SETTLEMENT_DATA_',
  '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_',
  '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_ORDER_REFERENCE_DATA_',
  '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_BILLING_AGREEMENT_DATA_',
  '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_AUTHORIZATION_DATA_',
  '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_CAPTURE_DATA_',
  '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_REFUND_DATA_',
] as const;
export type ReportType = (typeof reportTypes)[number];

/** "Automatically created with each settlement. No scheduling or manual creation possible." (Reports). */
export const AUTOMATIC_ONLY: ReportType = '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SETTLEMENT_DATA_';

/** Processing states of a report (Reports, "Enum: ProcessingStatus"). */
export const processingStatuses = ['IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type ProcessingStatus = (typeof processingStatuses)[number];

/** Schedule frequencies the SDKs know (the .NET SDK's ScheduleFrequency enum), as durations. */
export const scheduleFrequencies: Record<string, number> = {
  PT5M: 5 * MINUTE,
  PT15M: 15 * MINUTE,
  PT30M: 30 * MINUTE,
  PT1H: HOUR,
  PT2H: 2 * HOUR,
  PT4H: 4 * HOUR,
  PT8H: 8 * HOUR,
  PT12H: 12 * HOUR,
  PT24H: 24 * HOUR,
  PT84H: 84 * HOUR,
  P1D: DAY,
  P2D: 2 * DAY,
  P3D: 3 * DAY,
  P7D: 7 * DAY,
  P14D: 14 * DAY,
  P15D: 15 * DAY,
  P18D: 18 * DAY,
  P30D: 30 * DAY,
};

/** Reports are kept 90 days ("Get Reports": createdSince defaults to, and reaches back at most, 90 days). */
export const REPORT_RETENTION_MS = 90 * DAY;
/** "The url to download the report. Valid for 30 seconds." (Reports, Report Document object). */
export const DOCUMENT_URL_VALIDITY_MS = 30 * 1000;
