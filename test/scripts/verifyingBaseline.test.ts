import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselinePayload } from '../../scripts/bench/baselinePayload.js';
import { completeBody, completePath, demoPrivateKeyFile, demoPublicKeyId, getPath, signedRequest } from '../../scripts/bench/requests.js';
import { verifyingBaseline } from '../../scripts/bench/verifyingBaseline.js';
import type { PreparedRequest } from '../../scripts/bench/load.js';
import { packagePath } from '../../server/config.js';
import { signRequest } from '../../server/signing/signRequest.js';

const privateKey = readFileSync(packagePath(demoPrivateKeyFile), 'utf8');
const publicKey = readFileSync(packagePath(`fixtures/keys/${demoPublicKeyId}.pem`), 'utf8');
// The bench signs for the address it sends to; inject sends the same host header.
const origin = 'http://127.0.0.1:8123';

const signed = (method: 'GET' | 'POST', path: string, body = '', key: string = privateKey): PreparedRequest =>
  signedRequest(signRequest, { origin, path, body, privateKey: key, publicKeyId: demoPublicKeyId, method });

describe('the verifying baseline (bare Fastify + one RSA-PSS verify)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = verifyingBaseline(demoPublicKeyId, publicKey);
    await app.ready();
  });
  afterAll(() => app.close());

  const send = (request: PreparedRequest, body = request.body) =>
    app.inject({ method: request.method ?? 'POST', url: request.path, headers: request.headers, ...(request.method === 'GET' ? {} : { payload: body }) });

  it('answers a correctly signed complete-shaped POST with the baseline payload', async () => {
    const response = await send(signed('POST', completePath('baseline'), completeBody));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(baselinePayload);
  });

  it('answers a correctly signed GET, and the same signed request every time it is sent', async () => {
    const request = signed('GET', getPath('baseline'));
    for (let i = 0; i < 3; i++) expect((await send(request)).statusCode).toBe(200);
  });

  it('refuses a body changed after signing: the signature covers its bytes', async () => {
    const request = signed('POST', completePath('baseline'), completeBody);
    const response = await send(request, completeBody.replace('50.00', '51.00'));
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ reasonCode: 'InvalidRequestSignature' });
  });

  it('refuses a signature made with another key, and a path other than the one signed', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect((await send(signed('POST', completePath('baseline'), completeBody, other))).statusCode).toBe(403);
    const moved = { ...signed('GET', getPath('baseline')), path: getPath('elsewhere') };
    expect((await send(moved)).statusCode).toBe(403);
  });

  it('takes the signature length from its key, so a 3072-bit key verifies too', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const wide = verifyingBaseline(demoPublicKeyId, pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    try {
      const request = signed('POST', completePath('baseline'), completeBody, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
      const response = await wide.inject({ method: 'POST', url: request.path, headers: request.headers, payload: request.body });
      expect(response.statusCode).toBe(200);
    } finally {
      await wide.close();
    }
  });

  it('answers 403, not 500, to a request without an authorization header or with one that does not parse', async () => {
    const request = signed('GET', getPath('baseline'));
    const { authorization: _dropped, ...unsigned } = request.headers;
    expect((await send({ ...request, headers: unsigned })).statusCode).toBe(403);
    expect((await send({ ...request, headers: { ...request.headers, authorization: 'AMZN-PAY-RSASSA-PSS-V2 nonsense' } })).statusCode).toBe(403);
  });
});
