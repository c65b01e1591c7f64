import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveServer, type LiveServer } from '../helpers/runningServer.js';

let live: LiveServer;

beforeAll(async () => {
  live = await liveServer({ adminToken: 'secret-token' });
});

afterAll(async () => {
  await live?.close();
});

describe('GET /__admin/ca.pem', () => {
  it('serves the CA the server made in its data dir, without the admin token', async () => {
    const res = await request(`${live.server.http!.url}/__admin/ca.pem`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-pem-file');
    expect(res.headers['x-amz-pay-request-id']).toBeTruthy();
    expect(await res.body.text()).toBe(readFileSync(live.server.ca.file, 'utf8'));
    // The rest of the control API still wants the token.
    const guarded = await request(`${live.server.http!.url}/__admin/requests`);
    expect(guarded.statusCode).toBe(401);
    await guarded.body.dump();
  });
});
