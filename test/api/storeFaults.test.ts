import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore } from '../../server/store/index.js';
import { fillTheDisk, hasFullDisk } from '../store/fullDisk.js';
import { tempDirs } from '../store/tempDir.js';
import { readySessionBody, testApp, type TestApp } from '../helpers/testApp.js';

const temp = tempDirs();
let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
  await temp.cleanup();
});

describe.skipIf(!hasFullDisk)('the API on a full disk (/dev/full)', () => {
  it('answers 503 ServiceUnavailable, changes nothing, never replays an answer that is not on disk, and recovers by itself', async () => {
    const file = path.join(await temp.make(), 'db.json');
    const store = new FileStore(file);
    t = await testApp({}, { store });
    const first = await t.call('POST', '/v2/checkoutSessions', readySessionBody(), { idempotencyKey: 'first' });
    expect(first.status).toBe(201);

    const full = await fillTheDisk(store, file);

    const failed = await t.call('POST', '/v2/checkoutSessions', readySessionBody(), { idempotencyKey: 'second' });
    expect(failed.status).toBe(503);
    expect(failed.body).toEqual({ reasonCode: 'ServiceUnavailable', message: expect.stringMatching(/nothing was changed/) });
    expect(failed.headers['x-amz-pay-request-id']).toEqual(expect.any(String));
    // Reads keep working; health says why writes do not.
    expect((await t.call('GET', `/v2/checkoutSessions/${first.body.checkoutSessionId}`)).status).toBe(200);
    const health = await t.raw({ method: 'GET', url: '/__admin/health' });
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'degraded', store: { status: 'degraded', error: expect.stringMatching(/ENOSPC/) } });
    // The retry runs again instead of replaying a 201 whose session never reached the disk.
    expect((await t.call('POST', '/v2/checkoutSessions', readySessionBody(), { idempotencyKey: 'second' })).status).toBe(503);

    await rm(full); // space comes back
    const retried = await t.call('POST', '/v2/checkoutSessions', readySessionBody(), { idempotencyKey: 'second' });
    expect(retried.status).toBe(201);
    expect((await t.raw({ method: 'GET', url: '/__admin/health' })).body).toEqual({ status: 'ok' });
    await t.close();
    t = null;

    const again = new FileStore(file);
    await again.open();
    const [ns] = again.namespaces();
    expect(again.list(ns!, 'checkoutSessions')).toHaveLength(2);
    expect(again.get(ns!, 'checkoutSessions', first.body.checkoutSessionId)).toBeDefined();
    expect(again.get(ns!, 'checkoutSessions', retried.body.checkoutSessionId)).toBeDefined();
    await again.close();
  });
});

describe('ids that are already stored', () => {
  it('fails a create loudly instead of overwriting a stored object with the same id', async () => {
    const { RandomIdGenerator } = await import('../../server/ids/randomIdGenerator.js');
    // Every id comes out the same: the second create draws the first session's id again.
    t = await testApp({}, { ids: new RandomIdGenerator((n) => new Uint8Array(n)) });
    const first = await t.call('POST', '/v2/checkoutSessions', readySessionBody({ merchantMetadata: { merchantReferenceId: 'first' } }));
    expect(first.status).toBe(201);
    const second = await t.call('POST', '/v2/checkoutSessions', readySessionBody({ merchantMetadata: { merchantReferenceId: 'second' } }));
    expect(second.status).toBe(500);
    expect(second.body.reasonCode).toBe('InternalServerError');
    const kept = await t.call('GET', `/v2/checkoutSessions/${first.body.checkoutSessionId}`);
    expect(kept.body.merchantMetadata.merchantReferenceId).toBe('first');
  });
});
