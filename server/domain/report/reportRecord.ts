import type { Environment, Region } from '../types.js';
import type { ProcessingStatus, ReportType } from './reportTypes.js';

/** The Report wire object, keys in the (alphabetical) order the Node SDK's integration test asserts. */
export interface Report {
  createdTime: string;
  endTime: string;
  processingEndTime: string | null;
  processingStartTime: string;
  processingStatus: ProcessingStatus;
  reportDocumentId: string | null;
  reportId: string;
  reportType: ReportType;
  startTime: string;
}

/** A stored report: the wire object as of its creation, and when it completes on the clock. */
export interface ReportRecord {
  report: Report;
  meta: {
    startMs: number;
    endMs: number;
    createdMs: number;
    completesAt: number;
    /** The document it produces (hidden until COMPLETED), and the secret of its download URL. */
    documentId: string;
    token: string;
    /** The schedule that produced it, if any. */
    scheduleId: string | null;
    /** Where it was made: it covers, and is seen from, that environment and region only (absent on records saved before). */
    environment?: Environment;
    region?: Region;
  };
}

/** The ReportSchedule wire object, keys in the order the Node SDK's integration test asserts. */
export interface ReportSchedule {
  nextReportCreationTime: string;
  reportScheduleId: string;
  reportType: ReportType;
  scheduleFrequency: string;
}

export interface ReportScheduleRecord {
  schedule: ReportSchedule;
  meta: { periodMs: number; nextMs: number; environment?: Environment; region?: Region };
}

/** The GetReportDocument answer. */
export interface ReportDocument {
  reportDocumentId: string;
  url: string;
  compressionAlgorithm: string;
}

/** Which report a document id belongs to (documents are looked up by their own id). */
export interface ReportDocumentRecord {
  reportId: string;
}

/** One merchant's reports and schedules, oldest first: the store reads records by id only. */
export interface ReportIndex {
  reports: string[];
  schedules: string[];
}

export const REPORT_INDEX_ID = 'reports';
