import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../server/store/index.js';
import { fillTheDisk, hasFullDisk } from '../store/fullDisk.js';
import { tempDirs } from '../store/tempDir.js';
import { readySessionBody, testApp, type TestApp } from '../helpers/testApp.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const clock = (payload: unknown, merchant?: string) =>
  t.raw({ method: 'POST', url: `/__admin/clock${merchant ? `?merchant=${merchant}` : ''}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });

describe('clock values out of range', () => {
  it.each([{ advanceSeconds: 1e300 }, { advanceSeconds: 8.64e12 }, { advanceSeconds: -8.64e12 }, { set: '+275760-09-13T00:00:00Z' }, { set: '9999-12-31T00:00:00Z' }, { set: '1969-12-31T23:59:59Z' }])(
    'refuses %j with 400 InvalidParameterValue and keeps serving',
    async (payload) => {
      const before = (await t.raw({ method: 'GET', url: '/__admin/clock' })).body;
      const res = await clock(payload);
      expect(res.status).toBe(400);
      expect(res.body.reasonCode).toBe('InvalidParameterValue');
      const after = await t.raw({ method: 'GET', url: '/__admin/clock' });
      expect(after.status).toBe(200);
      expect(after.body.offsetSeconds).toBe(before.offsetSeconds);
      const created = await t.call('POST', '/v2/checkoutSessions', readySessionBody());
      expect(created.status).toBe(201);
    },
  );

  it('refuses a sequence of allowed moves that would add up past the range, changing nothing', async () => {
    await t.raw({ method: 'POST', url: '/__admin/reset' });
    expect((await clock({ set: '8990-01-01T00:00:00Z' })).status).toBe(200);
    const res = await clock({ advanceSeconds: 20 * 365 * 86_400 });
    expect(res.status).toBe(400);
    expect((await t.raw({ method: 'GET', url: '/__admin/clock' })).body.now).toMatch(/^8990-01-01/);
    await t.raw({ method: 'POST', url: '/__admin/reset' });
  });

  it('refuses moving the server clock when a merchant clock ahead of it would leave the range', async () => {
    expect((await clock({ set: '8999-01-01T00:00:00Z' }, 'AMZNPAYMOCKDEMO000000001')).status).toBe(200);
    const res = await clock({ advanceSeconds: 100 * 365 * 86_400 });
    expect(res.status).toBe(400);
    expect((await t.raw({ method: 'GET', url: '/__admin/clock' })).body.offsetSeconds).toBeLessThan(86_400);
    await t.raw({ method: 'POST', url: '/__admin/reset' });
  });

  it('refuses moving the server clock back when a merchant clock behind it would leave the range', async () => {
    expect((await clock({ advanceSeconds: -40 * 365 * 86_400 }, 'AMZNPAYMOCKDEMO000000001')).status).toBe(200);
    const res = await clock({ set: '1975-01-01T00:00:00Z' });
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidParameterValue');
    expect((await t.raw({ method: 'GET', url: '/__admin/clock' })).body.offsetSeconds).toBe(0);
    expect((await t.raw({ method: 'GET', url: '/__admin/clock?merchant=AMZNPAYMOCKDEMO000000001' })).body.now).toMatch(/^19[89]\d-/);
    await t.raw({ method: 'POST', url: '/__admin/reset' });
  });

  it('still takes large moves within range', async () => {
    const res = await clock({ advanceSeconds: 400 * 86_400 });
    expect(res.status).toBe(200);
    await t.raw({ method: 'POST', url: '/__admin/reset' });
  });
});

describe.skipIf(!hasFullDisk)('a clock move the store cannot keep (a full disk)', () => {
  const temp = tempDirs();
  afterAll(() => temp.cleanup());

  it('answers 503 ServiceUnavailable and leaves every clock where it was, control API and dashboard form alike', async () => {
    const file = path.join(await temp.make(), 'db.json');
    const store = new FileStore(file);
    const full = await testApp({}, { store });
    try {
      expect((await full.raw({ method: 'POST', url: '/__admin/clock', payload: { advanceSeconds: 10 } })).status).toBe(200);
      await fillTheDisk(store, file);
      const view = async (merchant?: string) => (await full.raw({ method: 'GET', url: `/__admin/clock${merchant ? `?merchant=${merchant}` : ''}` })).body;
      const before = { server: await view(), merchant: await view('AMZNPAYMOCKDEMO000000001') };

      const moved = await full.raw({ method: 'POST', url: '/__admin/clock', payload: { advanceSeconds: 3600, frozen: true } });
      expect(moved.status).toBe(503);
      expect(moved.body).toEqual({ reasonCode: 'ServiceUnavailable', message: expect.stringMatching(/nothing was changed/) });
      const own = await full.raw({ method: 'POST', url: '/__admin/clock?merchant=AMZNPAYMOCKDEMO000000001', payload: { advanceSeconds: 86_400 } });
      expect(own.status).toBe(503);
      const form = await full.app.inject({ method: 'POST', url: '/__admin/ui/clock', payload: 'advanceSeconds=86400', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(form.statusCode).toBe(503);

      expect({ server: await view(), merchant: await view('AMZNPAYMOCKDEMO000000001') }).toEqual({
        server: { ...before.server, now: expect.any(String), amazonTimestamp: expect.any(String) },
        merchant: { ...before.merchant, now: expect.any(String), amazonTimestamp: expect.any(String) },
      });
    } finally {
      await rm(`${file}.2.log`, { force: true });
      await full.close();
    }
  });
});

describe('reading a merchant clock', () => {
  it('keeps nothing for a merchant that never moved its clock, however many are asked about', async () => {
    await t.raw({ method: 'POST', url: '/__admin/reset' });
    const own = () => (t.app.mock.clocks as unknown as { merchants: Map<string, unknown> }).merchants.size;
    for (let i = 0; i < 50; i++) {
      const res = await t.raw({ method: 'GET', url: `/__admin/clock?merchant=NEVERMOVED${i}` });
      expect(res.status).toBe(200);
      expect(res.body.offsetSeconds).toBe(0);
    }
    expect(own()).toBe(0);
    expect((await clock({ advanceSeconds: 60 }, 'MOVED1')).status).toBe(200);
    expect(own()).toBe(1);
    expect((await t.raw({ method: 'GET', url: '/__admin/clock?merchant=MOVED1' })).body.offsetSeconds).toBe(60);
  });
});
