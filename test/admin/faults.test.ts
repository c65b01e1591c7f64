import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveServer, sdkError, type LiveServer } from '../helpers/runningServer.js';
import { readySessionBody } from '../helpers/testApp.js';

let live: LiveServer;
beforeAll(async () => {
  live = await liveServer();
});
afterAll(async () => {
  await live?.close();
});

const idem = () => ({ 'x-amz-pay-idempotency-key': `f${Math.random().toString(36).slice(2)}` });

describe('fault injection', () => {
  it('answers 503 for the next two calls of an operation, then recovers', async () => {
    const added = await live.admin('POST', '/__admin/faults?merchant=SANDBOX-AMZNPAYMOCKDEMO000000001', { operation: 'createCheckoutSession', status: 503, times: 2 });
    expect(added.status).toBe(201);
    const client = live.sdk();
    expect((await sdkError(client.createCheckoutSession(readySessionBody(), idem()))).status).toBe(503);
    expect((await sdkError(client.createCheckoutSession(readySessionBody(), idem()))).body.reasonCode).toBe('ServiceUnavailable');
    expect((await client.createCheckoutSession(readySessionBody(), idem())).status).toBe(201);
  });

  it('adds latency without changing the answer', async () => {
    await live.admin('POST', '/__admin/faults', { operation: 'getCheckoutSession', latencyMs: 150, times: 1 });
    const client = live.sdk();
    const id = (await client.createCheckoutSession(readySessionBody(), idem())).data.checkoutSessionId;
    const started = Date.now();
    expect((await client.getCheckoutSession(id)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('drops the connection without an answer, and the journal notes it', async () => {
    await live.admin('POST', '/__admin/faults', { operation: 'getCheckoutSession', drop: true, times: 1 });
    const err = await live.sdk().getCheckoutSession('any-id').then(
      () => null,
      (e: any) => e,
    );
    expect(err?.code ?? err?.cause?.code).toMatch(/ECONNRESET|socket hang up|ERR_/);
    const entries = (await live.admin('GET', '/__admin/requests?operation=getCheckoutSession&status=0')).body.requests;
    expect(entries.length).toBeGreaterThan(0);
  });

  it('lists and clears faults without touching other scenario rules', async () => {
    await live.admin('POST', '/__admin/scenarios', { name: 'keep-me', match: { operation: 'getRefund' }, outcome: { kind: 'normal' } });
    await live.admin('POST', '/__admin/faults', { operation: 'getCharge', status: 429 });
    expect((await live.admin('GET', '/__admin/faults')).body.faults.length).toBeGreaterThan(0);
    await live.admin('DELETE', '/__admin/faults');
    expect((await live.admin('GET', '/__admin/faults')).body.faults).toHaveLength(0);
    expect((await live.admin('GET', '/__admin/scenarios')).body.rules.some((r: any) => r.name === 'keep-me')).toBe(true);
  });

  it.each([
    [{ operation: 'fly', status: 503 }, 'InvalidParameterValue'],
    [{ status: 404 }, 'InvalidParameterValue'],
    [{ status: 503, drop: true }, 'InvalidParameterCombination'],
    [{ operation: 'getCharge' }, 'MissingParameterValue'],
    [{ status: 503, colour: 'red' }, 'UnrecognizedField'],
  ])('rejects %j', async (body, code) => {
    const res = await live.admin('POST', '/__admin/faults', body);
    expect(res.status).toBe(400);
    expect(res.body.reasonCode).toBe(code);
  });

  it('keeps serving after a dropped connection', async () => {
    const socket = net.connect(live.server.http!.port, '127.0.0.1');
    await new Promise((r) => socket.on('connect', r));
    socket.destroy();
    expect((await live.admin('GET', '/__admin/health')).status).toBe(200);
  });
});

describe('faults layered on scenario rules', () => {
  it('adds latency and still lets the scripted error behind it answer', async () => {
    await live.admin('POST', '/__admin/reset');
    await live.admin('POST', '/__admin/scenarios', { name: 'throttle-get', match: { operation: 'getCheckoutSession' }, outcome: { kind: 'error', reasonCode: 'TooManyRequests' }, times: 1 });
    await live.admin('POST', '/__admin/faults', { operation: 'getCheckoutSession', latencyMs: 100, times: 1 });
    const started = Date.now();
    const err = await sdkError(live.sdk().getCheckoutSession('whatever'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(err.status).toBe(429);
    const [entry] = (await live.admin('GET', '/__admin/requests?operation=getCheckoutSession&limit=1')).body.requests;
    expect(entry.scenario).toBe('fault:getCheckoutSession:latency, throttle-get');
  });

  it('treats null as absent and names the field it rejects', async () => {
    const empty = await live.admin('POST', '/__admin/faults', { operation: 'getCharge', latencyMs: null });
    expect(empty.status).toBe(400);
    expect(empty.body.reasonCode).toBe('MissingParameterValue');
    const bad = await live.admin('POST', '/__admin/faults', { latencyMs: 'abc' });
    expect(bad.body.message).toContain("'latencyMs'");
  });
});
