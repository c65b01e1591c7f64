import { apiError } from '../errors.js';
import type { OperationEnv, OperationResult } from '../operation.js';
import { formatTimestamp } from '../time.js';
import { oneOf, validateBody } from '../validation.js';
import { filePurposes, fileTypes, MAX_FILE_BYTES, UPLOAD_URL_VALIDITY_MS, type FileRecord, type UploadedFile } from './fileRecord.js';

export const uploadFileFields = { type: oneOf(...fileTypes), purpose: oneOf(...filePurposes) };

/**
 * Upload File (200): reserves a file id for dispute evidence and answers the URL to PUT its
 * content to (size 0 until then). Contest Dispute takes the id.
 */
export function uploadFile(env: OperationEnv, body: unknown): OperationResult<UploadedFile> {
  const b = validateBody(body, uploadFileFields, ['type', 'purpose']);
  const id = `amzn1.file.${env.ids.uuid()}`;
  const token = env.ids.token();
  const expiresMs = env.ctx.now + UPLOAD_URL_VALIDITY_MS;
  const record: FileRecord = {
    file: {
      id,
      type: b.type,
      purpose: b.purpose,
      url: `${env.settings.publicUrl}/storage/${encodeURIComponent(env.ctx.ns)}/files/${id}?token=${token}`,
      size: 0,
      uploadTimestamp: formatTimestamp(env.ctx.now),
      urlExpirationTimestamp: formatTimestamp(expiresMs),
    },
    meta: { token, expiresMs, uploadedBytes: null, contentType: null, environment: env.ctx.environment, region: env.ctx.region },
  };
  return { status: 200, body: record.file, writes: [{ collection: 'files', id, value: record }] };
}

/** The content PUT to a file's upload URL: checked against the URL's token, expiry and size limit. */
export function receiveFileContent(record: FileRecord | undefined, upload: { token: unknown; now: number; bytes: number; contentType: string | null }): FileRecord {
  const { token, now, bytes, contentType } = upload;
  if (!record || token !== record.meta.token) throw apiError('ResourceNotFound', 'No file upload is expected at this URL.');
  if (now > record.meta.expiresMs) throw apiError('InvalidAuthentication', 'This upload URL has expired; call uploadFile for a new one.');
  if (bytes > MAX_FILE_BYTES) throw apiError('RequestEntityTooLarge', `A file may have at most ${MAX_FILE_BYTES} bytes.`);
  return { file: { ...record.file, size: bytes }, meta: { ...record.meta, uploadedBytes: bytes, contentType } };
}
