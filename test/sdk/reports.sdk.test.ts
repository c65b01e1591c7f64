import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { demoKeyIds } from '../helpers/demoKeys.js';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import { advanceClock, capturedCharge, idem, usd } from './flows.js';

/** Reports, report documents and report schedules through the official Node SDK ("Reports"). */

const suite = useLiveServer({ pendingDelaySeconds: 30 });
const insecure = new Agent({ connect: { rejectUnauthorized: false } });

const SANDBOX_SETTLEMENT = '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_';
const CAPTURES = '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_CAPTURE_DATA_';
/** Report keys in the order the Node SDK's integration test asserts. */
const reportKeys = ['createdTime', 'endTime', 'processingEndTime', 'processingStartTime', 'processingStatus', 'reportDocumentId', 'reportId', 'reportType', 'startTime'];
const scheduleKeys = ['nextReportCreationTime', 'reportScheduleId', 'reportType', 'scheduleFrequency'];

const compact = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

async function emulatorNow(): Promise<number> {
  return Date.parse((await suite.live.admin('GET', '/__admin/clock')).body.now);
}

async function download(url: string): Promise<{ status: number; type: string; text: string }> {
  const res = await request(url, { dispatcher: insecure });
  return { status: res.statusCode, type: String(res.headers['content-type']), text: await res.body.text() };
}

async function reportAround(type: string): Promise<string> {
  const now = await emulatorNow();
  const created = await suite.client.createReport({ reportType: type, startTime: compact(now - 3600_000), endTime: compact(now + 3600_000) }, idem());
  expect(created.status).toBe(201);
  expect(Object.keys(created.data)).toEqual(['reportId']);
  return created.data.reportId;
}

describe('createReport, getReportById, getReportDocument', () => {
  it('processes a report on the clock and serves its CSV with the merchant\'s captures and refunds', async () => {
    const { chargeId, chargePermissionId } = await capturedCharge(suite.client, '42.50');
    const refund = await suite.client.createRefund({ chargeId, refundAmount: usd('2.50') }, idem());
    await advanceClock(suite.live, 31); // the refund completes
    const reportId = await reportAround(SANDBOX_SETTLEMENT);
    expect(reportId).toMatch(/^[1-9]\d{10}$/);

    const pending = await suite.client.getReportById(reportId);
    expect(pending.status).toBe(200);
    expect(Object.keys(pending.data)).toEqual(reportKeys);
    expect(pending.data).toMatchObject({ reportId, reportType: SANDBOX_SETTLEMENT, processingStatus: 'IN_PROGRESS', processingEndTime: null, reportDocumentId: null });

    await advanceClock(suite.live, 31);
    const done = (await suite.client.getReportById(reportId)).data;
    expect(done.processingStatus).toBe('COMPLETED');
    expect(done.reportDocumentId).toMatch(/^amzn1\.tortuga\.0\.[0-9a-f-]{36}\.\d{14}$/);
    expect(Date.parse(done.processingEndTime)).toBeGreaterThan(Date.parse(done.processingStartTime));

    const document = await suite.client.getReportDocument(done.reportDocumentId);
    expect(document.status).toBe(200);
    expect(Object.keys(document.data)).toEqual(['reportDocumentId', 'url', 'compressionAlgorithm']);
    expect(document.data.compressionAlgorithm).toBe('N/A');
    const csv = await download(document.data.url);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('SellerId,SettlementStartDate,SettlementEndDate');
    expect(lines[3]).toBe('TransactionPostedDate,SettlementId,AmazonTransactionId,SellerReferenceId,TransactionType,AmazonOrderReferenceId,SellerOrderId,StoreName,CurrencyCode,TransactionAmount,TotalTransactionFee,NetTransactionAmount');
    const capture = lines.find((l) => l.includes(`,${chargeId},`))!;
    expect(capture.split(',')).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0000$/), reportId, chargeId, '', 'Capture', chargePermissionId, expect.any(String), expect.any(String), 'USD', '42.50', '0.00', '42.50']);
    const refunded = lines.find((l) => l.includes(`,${refund.data.refundId},`))!;
    expect(refunded.split(',').slice(4, 12)).toEqual(['Refund', chargePermissionId, expect.any(String), expect.any(String), 'USD', '-2.50', '0.00', '-2.50']);
  });

  it('builds a capture transaction report from the captured charges only', async () => {
    const { chargeId } = await capturedCharge(suite.client, '7.00');
    const reportId = await reportAround(CAPTURES);
    await advanceClock(suite.live, 31);
    const { reportDocumentId } = (await suite.client.getReportById(reportId)).data;
    const csv = await download((await suite.client.getReportDocument(reportDocumentId)).data.url);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('AmazonTransactionId,AmazonOrderReferenceId,SellerOrderId,TransactionType,CurrencyCode,Amount,State,ReasonCode,CreationTimestamp,LastUpdatedTimestamp');
    expect(lines.find((l) => l.startsWith(`${chargeId},`))!.split(',').slice(3, 7)).toEqual(['Capture', 'USD', '7.00', 'Captured']);
  });

  it('refuses the document of a report still in progress, and a download URL after 30 seconds', async () => {
    const reportId = await reportAround(SANDBOX_SETTLEMENT);
    await advanceClock(suite.live, 31);
    const { reportDocumentId } = (await suite.client.getReportById(reportId)).data;
    const { url } = (await suite.client.getReportDocument(reportDocumentId)).data;
    expect((await download(url.replace(/token=[0-9a-f]+/, 'token=0'))).status).toBe(404);
    await advanceClock(suite.live, 31);
    const expired = await download(url);
    expect(expired.status).toBe(403);
    expect(JSON.parse(expired.text).reasonCode).toBe('InvalidAuthentication');

    const inProgress = await reportAround(SANDBOX_SETTLEMENT);
    const notYet = await sdkError(suite.client.getReportDocument((await suite.client.getReportById(inProgress)).data.reportDocumentId ?? 'none'));
    expect(notYet.status).toBe(404);
    expect(notYet.body.reasonCode).toBe('ResourceNotFound');
  });

  it('answers the documented errors: missing and invalid fields, the automatic settlement report, unknown ids, a missing idempotency key', async () => {
    const now = await emulatorNow();
    const missing = await sdkError(suite.client.createReport({ startTime: compact(now - 1000), endTime: compact(now) }, idem()));
    expect(missing).toMatchObject({ status: 400, body: { reasonCode: 'MissingParameterValue' } });
    const automatic = await sdkError(suite.client.createReport({ reportType: '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SETTLEMENT_DATA_', startTime: compact(now - 1000), endTime: compact(now) }, idem()));
    expect(automatic).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
    const backwards = await sdkError(suite.client.createReport({ reportType: SANDBOX_SETTLEMENT, startTime: compact(now), endTime: compact(now - 1000) }, idem()));
    expect(backwards).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
    const unknownType = await sdkError(suite.client.createReport({ reportType: '_GET_EVERYTHING_', startTime: compact(now - 1000), endTime: compact(now) }, idem()));
    expect(unknownType).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
    const noKey = await sdkError(suite.client.createReport({ reportType: SANDBOX_SETTLEMENT, startTime: compact(now - 1000), endTime: compact(now) }));
    expect(noKey).toMatchObject({ status: 400, body: { reasonCode: 'MissingHeader' } });
    expect(await sdkError(suite.client.getReportById('10000000000'))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
  });

  it('replays createReport for the same idempotency key', async () => {
    const now = await emulatorNow();
    const body = { reportType: SANDBOX_SETTLEMENT, startTime: compact(now - 1000), endTime: compact(now) };
    const headers = idem();
    const first = await suite.client.createReport(body, headers);
    const again = await suite.client.createReport(body, headers);
    expect(again.status).toBe(201);
    expect(again.data.reportId).toBe(first.data.reportId);
  });
});

describe('getReports', () => {
  it('lists reports newest first, filtered by type and status, a page at a time', async () => {
    const a = await reportAround(CAPTURES);
    const b = await reportAround(CAPTURES);
    const c = await reportAround(CAPTURES);
    const all = await suite.client.getReports({ reportTypes: [CAPTURES], processingStatuses: ["IN_PROGRESS"] });
    expect(all.status).toBe(200);
    expect(Object.keys(all.data)).toEqual(['reports', 'nextToken']);
    expect(all.data.reports.map((r: any) => r.reportId).slice(0, 3)).toEqual([c, b, a]);
    for (const r of all.data.reports) expect(Object.keys(r)).toEqual(reportKeys);

    const first = await suite.client.getReports({ reportTypes: CAPTURES, processingStatuses: 'IN_PROGRESS', pageSize: 2 });
    expect(first.data.reports.map((r: any) => r.reportId)).toEqual([c, b]);
    expect(first.data.nextToken).toEqual(expect.any(String));
    const second = await suite.client.getReports({ nextToken: first.data.nextToken }); // the token carries the filters
    expect(second.data.reports[0].reportId).toBe(a);

    await advanceClock(suite.live, 31);
    const inProgress = await suite.client.getReports({ reportTypes: CAPTURES, processingStatuses: 'IN_PROGRESS' });
    expect(inProgress.data).toEqual({ reports: [], nextToken: null });
    const bad = await sdkError(suite.client.getReports({ pageSize: 101 }));
    expect(bad).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
    const badToken = await sdkError(suite.client.getReports({ nextToken: 'nope' }));
    expect(badToken).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
  });
});

describe('getReports with several report types', () => {
  it('takes a list as the SDK sends it (the key repeated) and as a comma-separated value alike', async () => {
    const capture = await reportAround(CAPTURES);
    const settlement = await reportAround(SANDBOX_SETTLEMENT);
    const repeated = await suite.client.getReports({ reportTypes: [CAPTURES, SANDBOX_SETTLEMENT], pageSize: 100 });
    expect(repeated.status).toBe(200);
    const ids = repeated.data.reports.map((r: any) => r.reportId);
    expect(ids).toEqual(expect.arrayContaining([capture, settlement]));
    const comma = await suite.client.getReports({ reportTypes: `${CAPTURES},${SANDBOX_SETTLEMENT}`, pageSize: 100 });
    expect(comma.data.reports.map((r: any) => r.reportId)).toEqual(ids);
    const bad = await sdkError(suite.client.getReports({ reportTypes: [CAPTURES, '_NO_SUCH_TYPE_'] }));
    expect(bad).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
  });
});

describe('report schedules', () => {
  it('produce a report each period as the clock passes it, until canceled', async () => {
    const now = await emulatorNow();
    const created = await suite.client.createReportSchedule({ reportType: SANDBOX_SETTLEMENT, scheduleFrequency: 'PT12H', nextReportCreationTime: compact(now + 3600_000), deleteExistingSchedule: true }, idem());
    expect(created.status).toBe(201);
    expect(Object.keys(created.data)).toEqual(['reportScheduleId']);
    const id = created.data.reportScheduleId;

    const listed = await suite.client.getReportSchedules(SANDBOX_SETTLEMENT);
    expect(listed.data.reportSchedules.map((s: any) => s.reportScheduleId)).toEqual([id]);
    expect(Object.keys(listed.data.reportSchedules[0])).toEqual(scheduleKeys);
    const byId = (await suite.client.getReportScheduleById(id)).data;
    expect(byId).toEqual({ nextReportCreationTime: new Date(now + 3600_000 - (now % 1000)).toISOString(), reportScheduleId: id, reportType: SANDBOX_SETTLEMENT, scheduleFrequency: 'PT12H' });

    const before = (await suite.client.getReports({ reportTypes: SANDBOX_SETTLEMENT })).data.reports.length;
    await advanceClock(suite.live, 13 * 3600 + 60); // past the first creation time and the next one
    const after = (await suite.client.getReports({ reportTypes: SANDBOX_SETTLEMENT })).data.reports;
    expect(after.length).toBe(before + 2);
    const [newest, older] = after;
    expect(Date.parse(newest.createdTime) - Date.parse(older.createdTime)).toBe(12 * 3600_000);
    expect(Date.parse(newest.endTime) - Date.parse(newest.startTime)).toBe(12 * 3600_000);
    expect((await suite.client.getReportScheduleById(id)).data.nextReportCreationTime).toBe(new Date(Date.parse(newest.createdTime) + 12 * 3600_000).toISOString());

    const canceled = await suite.client.cancelReportSchedule(id);
    expect(canceled.status).toBe(200);
    expect(await sdkError(suite.client.getReportScheduleById(id))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
    await advanceClock(suite.live, 13 * 3600);
    expect((await suite.client.getReports({ reportTypes: SANDBOX_SETTLEMENT })).data.reports.length).toBe(after.length);
    expect(await sdkError(suite.client.cancelReportSchedule(id))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
  });

  it('keeps one schedule per report type: a second is refused unless it replaces the first', async () => {
    const body = { reportType: CAPTURES, scheduleFrequency: 'P1D' };
    const first = (await suite.client.createReportSchedule({ ...body, deleteExistingSchedule: true }, idem())).data.reportScheduleId;
    const refused = await sdkError(suite.client.createReportSchedule(body, idem()));
    expect(refused).toMatchObject({ status: 400, body: { reasonCode: 'InvalidRequest' } });
    const second = (await suite.client.createReportSchedule({ ...body, deleteExistingSchedule: true }, idem())).data.reportScheduleId;
    const schedules = (await suite.client.getReportSchedules([CAPTURES])).data.reportSchedules;
    expect(schedules.map((s: any) => s.reportScheduleId)).toEqual([second]);
    expect(second).not.toBe(first);
    const badFrequency = await sdkError(suite.client.createReportSchedule({ ...body, scheduleFrequency: 'P2W' }, idem()));
    expect(badFrequency).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
  });
});

describe('reports belong to the environment and region that made them (API introduction: separate endpoints)', () => {
  it('a sandbox report or schedule is unknown to a LIVE- key and to another region; their listings leave it out', async () => {
    const live = suite.live.sdk({ publicKeyId: demoKeyIds.live, sandbox: false });
    const eu = suite.live.sdk({ region: 'eu' });
    const reportId = await reportAround(CAPTURES);
    const { reportScheduleId } = (await suite.client.createReportSchedule({ reportType: CAPTURES, scheduleFrequency: 'P1D', deleteExistingSchedule: true }, idem())).data;
    for (const other of [live, eu]) {
      expect(await sdkError(other.getReportById(reportId))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
      expect(await sdkError(other.getReportScheduleById(reportScheduleId))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
      expect(await sdkError(other.cancelReportSchedule(reportScheduleId))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
      const listed = await other.getReports({ pageSize: '100' });
      expect(listed.status).toBe(200);
      expect(listed.data.reports.map((r: any) => r.reportId)).not.toContain(reportId);
      expect((await other.getReportSchedules()).data.reportSchedules.map((s: any) => s.reportScheduleId)).not.toContain(reportScheduleId);
      // Each world has its own one schedule per report type.
      const own = await other.createReportSchedule({ reportType: CAPTURES, scheduleFrequency: 'P1D' }, idem());
      expect(own.status).toBe(201);
      await other.cancelReportSchedule(own.data.reportScheduleId);
    }
    // Still there for the sandbox key in NA.
    expect((await suite.client.getReportById(reportId)).status).toBe(200);
    expect((await suite.client.getReportScheduleById(reportScheduleId)).status).toBe(200);
    expect((await suite.client.getReports({ pageSize: '100' })).data.reports.map((r: any) => r.reportId)).toContain(reportId);
  });

  it('a report document lists only the objects of its own environment and region', async () => {
    const live = suite.live.sdk({ publicKeyId: demoKeyIds.live, sandbox: false });
    const own = await capturedCharge(suite.client, '3.00');
    const other = await capturedCharge(live, '4.00');
    const reportId = await reportAround(CAPTURES);
    await advanceClock(suite.live, 31);
    const { reportDocumentId } = (await suite.client.getReportById(reportId)).data;
    const csv = await download((await suite.client.getReportDocument(reportDocumentId)).data.url);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(`${own.chargeId},`);
    expect(csv.text).not.toContain(other.chargeId);
  });
});
