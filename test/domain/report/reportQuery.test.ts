import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../helpers/testApp.js';

/** The list parameters of Get Reports and Get Report Schedules, as each SDK sends them. */

const CAPTURES = '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_CAPTURE_DATA_';
const SETTLEMENT = '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_';
const compact = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

async function report(type: string): Promise<string> {
  const now = t.clock.now();
  const res = await t.call('POST', '/v2/reports', { reportType: type, startTime: compact(now - 3600_000), endTime: compact(now + 3600_000) });
  expect(res.status).toBe(201);
  return res.body.reportId;
}

describe('Get Reports list parameters', () => {
  it('takes a key repeated once per value (the Java SDK) like one comma-separated value', async () => {
    const capture = await report(CAPTURES);
    const settlement = await report(SETTLEMENT);
    const repeated = await t.call('GET', `/v2/reports?reportTypes=${CAPTURES}&reportTypes=${SETTLEMENT}&processingStatuses=IN_PROGRESS&processingStatuses=COMPLETED`);
    expect(repeated.status).toBe(200);
    expect(repeated.body.reports.map((r: { reportId: string }) => r.reportId)).toEqual([settlement, capture]);
    const comma = await t.call('GET', `/v2/reports?reportTypes=${CAPTURES},${SETTLEMENT}&processingStatuses=IN_PROGRESS,COMPLETED`);
    expect(comma.body).toEqual(repeated.body);
    const only = await t.call('GET', `/v2/reports?reportTypes=${SETTLEMENT}`);
    expect(only.body.reports.map((r: { reportId: string }) => r.reportId)).toEqual([settlement]);
  });

  it('refuses an unknown value in any of the repeated keys, naming it', async () => {
    const res = await t.call('GET', `/v2/reports?reportTypes=${CAPTURES}&reportTypes=_NO_SUCH_TYPE_`);
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe('InvalidParameterValue');
    expect(res.body.message).toContain('_NO_SUCH_TYPE_');
  });

  it('takes repeated report types on Get Report Schedules too', async () => {
    const res = await t.call('GET', `/v2/report-schedules?reportTypes=${CAPTURES}&reportTypes=${SETTLEMENT}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ reportSchedules: [] });
  });
});
