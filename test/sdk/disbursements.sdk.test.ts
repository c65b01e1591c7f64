import { describe, expect, it } from 'vitest';
import { demoKeyIds } from '../helpers/demoKeys.js';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import { advanceClock, capturedCharge, DAY_SECONDS, DEMO_NS, idem, usd } from './flows.js';

/**
 * Get Disbursements ("Requesting disbursement details") through the official Node SDK. The Node
 * SDK has no getDisbursements method (PHP, Java and Ruby do), so it is called through the SDK's
 * signed generic apiCall, exactly as those SDKs send it: GET /disbursements with query parameters.
 */

const suite = useLiveServer({ pendingDelaySeconds: 30 });
const DAY_MS = DAY_SECONDS * 1000;
const disbursementKeys = ['sellerId', 'settlementId', 'amazonDisbursementReferenceId', 'amount', 'currencyCode', 'transactionTime'];

const compact = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

async function emulatorNow(): Promise<number> {
  return Date.parse((await suite.live.admin('GET', '/__admin/clock')).body.now);
}

function getDisbursements(queryParams: Record<string, string>, client: any = suite.client) {
  return client.apiCall({ method: 'GET', urlFragment: 'disbursements', queryParams });
}

/** Moves the clock to the start of the next UTC day, so what follows is posted on a fresh day; returns that day's start. */
async function freshDay(): Promise<number> {
  const now = await emulatorNow();
  const next = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  await advanceClock(suite.live, Math.ceil((next - now) / 1000) + 60);
  return next;
}

describe('getDisbursements', () => {
  it('pays out the net of a day\'s captures and completed refunds once the day has ended', async () => {
    const day = await freshDay();
    await capturedCharge(suite.client, '42.50');
    const { chargeId } = await capturedCharge(suite.client, '10.00');
    await suite.client.createRefund({ chargeId, refundAmount: usd('2.50') }, idem());
    await advanceClock(suite.live, 31); // the refund completes
    const range = { startTime: compact(day), endTime: compact(day + 2 * DAY_MS) };

    const sameDay = await getDisbursements(range);
    expect(sameDay.status).toBe(200);
    expect(sameDay.data).toEqual({ disbursements: [], nextToken: null });

    await advanceClock(suite.live, DAY_SECONDS);
    const paid = await getDisbursements(range);
    expect(paid.status).toBe(200);
    expect(paid.data.nextToken).toBeNull();
    expect(paid.data.disbursements).toHaveLength(1);
    const [d] = paid.data.disbursements;
    expect(Object.keys(d)).toEqual(disbursementKeys);
    expect(d).toEqual({
      sellerId: DEMO_NS,
      settlementId: expect.stringMatching(/^\d{11}$/),
      amazonDisbursementReferenceId: expect.any(String),
      amount: '50.00',
      currencyCode: 'USD',
      transactionTime: new Date(day + DAY_MS).toISOString(),
    });
    // The same disbursement is listed the same way every time, and not outside its range.
    expect((await getDisbursements(range)).data.disbursements).toEqual([d]);
    expect((await getDisbursements({ startTime: compact(day + DAY_MS + 1000), endTime: compact(day + 2 * DAY_MS) })).data.disbursements).toEqual([]);
  });

  it('pages with pageSize and continues with nextToken alone, oldest first', async () => {
    const first = await freshDay();
    for (const amount of ['1.00', '2.00', '3.00']) {
      await capturedCharge(suite.client, amount);
      await freshDay();
    }
    const range = { startTime: compact(first), endTime: compact(first + 4 * DAY_MS) };
    const page1 = await getDisbursements({ ...range, pageSize: '2' });
    expect(page1.data.disbursements.map((d: any) => d.amount)).toEqual(['1.00', '2.00']);
    expect(page1.data.nextToken).toEqual(expect.any(String));
    const page2 = await getDisbursements({ nextToken: page1.data.nextToken });
    expect(page2.status).toBe(200);
    expect(page2.data.disbursements.map((d: any) => d.amount)).toEqual(['3.00']);
    expect(page2.data.nextToken).toBeNull();
    const times = [...page1.data.disbursements, ...page2.data.disbursements].map((d: any) => Date.parse(d.transactionTime));
    expect(times).toEqual([first + DAY_MS, first + 2 * DAY_MS, first + 3 * DAY_MS]);
    expect(new Set([...page1.data.disbursements, ...page2.data.disbursements].map((d: any) => d.settlementId)).size).toBe(3);
  });

  it('answers 400 for a backwards or missing date range, a bad pageSize and a forged nextToken', async () => {
    const now = await emulatorNow();
    const backwards = await sdkError(getDisbursements({ startTime: compact(now), endTime: compact(now - DAY_MS) }));
    expect(backwards).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue', message: expect.stringContaining('endTime') } });
    const missing = await sdkError(getDisbursements({ endTime: compact(now) }));
    expect(missing).toMatchObject({ status: 400, body: { reasonCode: 'MissingParameterValue', message: expect.stringContaining('startTime') } });
    const unreadable = await sdkError(getDisbursements({ startTime: 'yesterday', endTime: compact(now) }));
    expect(unreadable).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
    const tooBig = await sdkError(getDisbursements({ startTime: compact(now - DAY_MS), endTime: compact(now), pageSize: '101' }));
    expect(tooBig).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
    const forged = await sdkError(getDisbursements({ nextToken: 'not-a-token' }));
    expect(forged).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
  });

  it('lists only the calling environment\'s disbursements: a live key sees none of the sandbox\'s', async () => {
    const day = await freshDay();
    await capturedCharge(suite.client, '5.00');
    await freshDay();
    const range = { startTime: compact(day), endTime: compact(day + DAY_MS + 1000) };
    expect((await getDisbursements(range)).data.disbursements.map((d: any) => d.amount)).toEqual(['5.00']);
    const live = suite.live.sdk({ publicKeyId: demoKeyIds.live, sandbox: false });
    const seen = await getDisbursements(range, live);
    expect(seen.status).toBe(200);
    expect(seen.data.disbursements).toEqual([]);
  });
});
