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
