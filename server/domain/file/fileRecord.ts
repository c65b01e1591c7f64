import type { Environment, Region } from '../types.js';

/** The answer of Upload File: where to send the content, and until when. */
export interface UploadedFile {
  id: string;
  type: string;
  purpose: string;
  url: string;
  size: number;
  uploadTimestamp: string;
  urlExpirationTimestamp: string;
}

export interface FileRecord {
  file: UploadedFile;
  /** Where it was uploaded: it is evidence in that environment and region only (absent on records saved before). */
  meta: { token: string; expiresMs: number; uploadedBytes: number | null; contentType: string | null; environment?: Environment; region?: Region };
}

/** File types accepted as dispute evidence (UNCONFIRMED: the SDK examples use jpg). */
export const fileTypes = ['jpg', 'jpeg', 'png', 'gif', 'pdf', 'tiff', 'txt'] as const;
export const filePurposes = ['disputeEvidence'] as const;
/** How long the upload URL is valid (UNCONFIRMED). */
export const UPLOAD_URL_VALIDITY_MS = 15 * 60 * 1000;
/** Largest file the upload URL takes (UNCONFIRMED). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
