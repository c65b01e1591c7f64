import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../server/domain/file/fileRecord.js';
import { testApp, type TestApp } from '../helpers/testApp.js';
import { expectAmazonAnswer } from '../helpers/amazonError.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

/** A fresh upload URL from Upload File, as origin-form path and query. */
async function uploadTarget(): Promise<string> {
  const file = await t.call('POST', '/v2/files', { type: 'pdf', purpose: 'disputeEvidence' });
  expect(file.status).toBe(200);
  const url = new URL(file.body.url);
  return url.pathname + url.search;
}

describe('the upload URL of an evidence file (PUT /storage/{merchant}/files/{fileId})', () => {
  it('takes content up to the documented 5 MiB, beyond the API\'s 1 MiB body limit', async () => {
    const target = await uploadTarget();
    const res = await t.raw({ method: 'PUT', url: target, headers: { 'content-type': 'application/pdf' }, payload: Buffer.alloc(MAX_FILE_BYTES, 1) });
    expect(res.status).toBe(200);
    expect(res.body.size).toBe(MAX_FILE_BYTES);
  });

  it('refuses content over 5 MiB with 413 RequestEntityTooLarge naming that limit, keeping the file as it was', async () => {
    const target = await uploadTarget();
    const res = await t.raw({ method: 'PUT', url: target, headers: { 'content-type': 'application/pdf' }, payload: Buffer.alloc(MAX_FILE_BYTES + 1, 1) });
    expectAmazonAnswer(res, 413, 'RequestEntityTooLarge');
    expect(res.body.message).toContain(String(MAX_FILE_BYTES));
    const id = target.split('/files/')[1]!.split('?')[0]!;
    expect(((await t.app.mock.store.read('AMZNPAYMOCKDEMO000000001', 'files', id)) as { file: { size: number } }).file.size).toBe(0);
  });

  it('keeps the 1 MiB limit on the API itself', async () => {
    const res = await t.call('POST', '/v2/checkoutSessions', { storeId: 'x'.repeat(2 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.message).toContain('1048576');
  });
});

/** A COMPLETED report's download URL from Get Report Document, as origin-form path and query. */
async function downloadTarget(): Promise<string> {
  const now = t.clock.now();
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const created = await t.call('POST', '/v2/reports', { reportType: '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_', startTime: iso(now - 3600_000), endTime: iso(now) });
  expect(created.status).toBe(201);
  t.clock.advance(31_000); // past the processing delay
  const report = await t.call('GET', `/v2/reports/${created.body.reportId}`);
  expect(report.body.processingStatus).toBe('COMPLETED');
  const document = await t.call('GET', `/v2/report-documents/${report.body.reportDocumentId}`);
  expect(document.status).toBe(200);
  const url = new URL(document.body.url);
  return url.pathname + url.search;
}

describe('the download URL of a report document (GET /storage/{merchant}/report-documents/{id})', () => {
  it('serves the CSV to the URL as handed out', async () => {
    const res = await t.raw({ method: 'GET', url: await downloadTarget() });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
  });

  it('refuses the URL with its expires pushed forward, as it refuses a wrong token: the token covers expires', async () => {
    const target = await downloadTarget();
    const expires = Number(new URL(target, 'http://x').searchParams.get('expires'));
    const later = target.replace(`expires=${expires}`, `expires=${expires + 3600_000}`);
    expectAmazonAnswer(await t.raw({ method: 'GET', url: later }), 404, 'ResourceNotFound');
    const wrongToken = target.replace(/token=[0-9a-f]+/, 'token=0');
    expectAmazonAnswer(await t.raw({ method: 'GET', url: wrongToken }), 404, 'ResourceNotFound');
    // Neither a missing expires nor one given twice gets past the token.
    expectAmazonAnswer(await t.raw({ method: 'GET', url: target.replace(/&expires=\d+/, '') }), 404, 'ResourceNotFound');
    expectAmazonAnswer(await t.raw({ method: 'GET', url: `${target}&expires=${expires + 1}` }), 404, 'ResourceNotFound');
    expect((await t.raw({ method: 'GET', url: target })).status).toBe(200);
  });

  it('refuses the URL once it has expired, 30 seconds later on the clock, with 403 InvalidAuthentication', async () => {
    const target = await downloadTarget();
    t.clock.advance(31_000);
    const res = await t.raw({ method: 'GET', url: target });
    expectAmazonAnswer(res, 403, 'InvalidAuthentication');
    expect(res.body.message).toContain('expired');
  });
});
