import { inScope } from '../domain/scope.js';
import type { FastifyInstance } from 'fastify';
import type { ChargeRecord } from '../domain/charge/chargeRecord.js';
import type { ChargePermissionRecord } from '../domain/chargePermission/chargePermissionRecord.js';
import { apiError } from '../domain/errors.js';
import { MAX_FILE_BYTES, type FileRecord } from '../domain/file/fileRecord.js';
import { receiveFileContent } from '../domain/file/uploadFile.js';
import { reportDocumentCsv } from '../domain/report/reportDocumentCsv.js';
import type { ReportDocumentRecord, ReportRecord } from '../domain/report/reportRecord.js';
import { reportAsOf } from '../domain/report/reportOperations.js';
import type { RefundRecord } from '../domain/refund/refundRecord.js';
import type { MockContext } from '../context.js';
import { documentUrlTokenMatches } from '../signing/documentUrl.js';

/**
 * What Amazon serves from S3 behind the pre-signed URLs of its answers: the report documents
 * (`getReportDocument`'s `url`) and the upload URLs of evidence files (`uploadFile`'s `url`). Not signed with Amazon Pay headers; the URL's token is the
 * secret. A download URL expires 30 seconds after it was handed out, on the merchant's clock, and
 * its token covers that expiry (see signing/documentUrl.ts); an upload URL's expiry is kept with the file.
 */
export function registerStorage(app: FastifyInstance, deps: MockContext): void {
  app.get<{ Params: { merchant: string; reportDocumentId: string }; Querystring: Record<string, unknown> }>('/storage/:merchant/report-documents/:reportDocumentId', async (request, reply) => {
    const { merchant, reportDocumentId } = request.params;
    const query = request.query;
    const link = await deps.store.read<ReportDocumentRecord>(merchant, 'reportDocuments', reportDocumentId);
    const report = link && (await deps.store.read<ReportRecord>(merchant, 'reports', link.reportId));
    // The token proves `expires` too: a URL whose expiry was edited is as unknown as one with a wrong token.
    if (!report || !documentUrlTokenMatches(report.meta.token, reportDocumentId, query.expires, query.token)) {
      throw apiError('ResourceNotFound', `No report document ${reportDocumentId} is stored behind this URL.`);
    }
    const now = deps.clocks.for(merchant).now();
    if (!(Number(query.expires) >= now)) {
      throw apiError('InvalidAuthentication', 'This download URL has expired (it is valid for 30 seconds); call getReportDocument for a fresh one.');
    }
    if (reportAsOf(report, now).processingStatus !== 'COMPLETED') throw apiError('ResourceNotFound', `The report ${link!.reportId} is not completed.`);
    const [chargePermissions, charges, refunds] = await Promise.all([
      deps.store.readAll<ChargePermissionRecord>(merchant, 'chargePermissions'),
      deps.store.readAll<ChargeRecord>(merchant, 'charges'),
      deps.store.readAll<RefundRecord>(merchant, 'refunds'),
    ]);
    // A report covers the objects of the environment and region it was made in (reports saved before that was kept: all).
    const { environment, region } = report.meta;
    const own = <T>(records: T[]): T[] => (environment && region ? records.filter((r) => inScope(r, { environment, region })) : records);
    const csv = reportDocumentCsv(report, { sellerId: merchant, chargePermissions: own(chargePermissions), charges: own(charges), refunds: own(refunds) });
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${link!.reportId}.csv"`).send(csv);
  });

  // Upload File's `url`: the evidence content is PUT here (any content type); only its size is kept.
  // A file may be larger than an API request body (`--body-limit`), up to the upload's own limit.
  app.put<{ Params: { merchant: string; fileId: string }; Querystring: Record<string, unknown> }>('/storage/:merchant/files/:fileId', { bodyLimit: MAX_FILE_BYTES }, async (request, reply) => {
    const { merchant, fileId } = request.params;
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const contentType = typeof request.headers['content-type'] === 'string' ? request.headers['content-type'] : null;
    const now = deps.clocks.for(merchant).now();
    const token = request.query.token;
    const updated = await deps.store.transact(merchant, (state) => {
      const file = receiveFileContent(state.get<FileRecord>('files', fileId), { token, now, bytes: body.length, contentType });
      return { puts: [{ collection: 'files', id: fileId, value: file }], result: file };
    });
    return reply.code(200).send({ id: fileId, size: updated.file.size });
  });
}
