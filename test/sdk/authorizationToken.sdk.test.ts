import { describe, expect, it } from 'vitest';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import { chargeablePermission } from './flows.js';

/**
 * x-amz-pay-authtoken, the token a solution provider gets from Get Authorization Token to act for a
 * merchant: a value that was not issued is 403 InvalidAuthorizationToken ("Manage errors").
 */
const suite = useLiveServer();

describe('x-amz-pay-authtoken (Get Authorization Token, Manage errors)', () => {
  it('accepts a token issued by getAuthorizationToken and refuses any other with 403 InvalidAuthorizationToken', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '12.00');
    const issued = await suite.client.getAuthorizationToken('amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE', 'A2Q1EXAMPLE');
    expect(issued.status).toBe(200);
    const token = issued.data.authorizationToken as string;
    expect(token).toMatch(/^Atza\|/);

    const ok = await suite.client.getChargePermission(chargePermissionId, { 'x-amz-pay-authtoken': token });
    expect(ok.status).toBe(200);

    for (const bad of ['Atza|never-issued', 'not-a-token']) {
      const err = await sdkError(suite.client.getChargePermission(chargePermissionId, { 'x-amz-pay-authtoken': bad }));
      expect(err.status).toBe(403);
      expect(err.body.reasonCode).toBe('InvalidAuthorizationToken');
    }
    const tracker = await sdkError(suite.client.deliveryTrackers({ chargePermissionId, deliveryDetails: [{ trackingNumber: 'T-1', carrierCode: 'UPS' }] }, { 'x-amz-pay-authtoken': 'Atza|forged' }));
    expect(tracker.body.reasonCode).toBe('InvalidAuthorizationToken');
  });

  it('does not accept a token issued to another caller', async () => {
    const issued = await suite.client.getAuthorizationToken('amzn.mws.other', 'A2Q1EXAMPLE');
    const keyId = 'SANDBOX-FIDELITYOTHERCALLER01';
    const { generateKeyPairSync } = await import('node:crypto');
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const registered = await suite.live.admin('POST', '/__admin/publicKeys', { publicKeyId: keyId, publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }) });
    expect(registered.status).toBe(201);
    const other = suite.live.sdk({ publicKeyId: keyId, privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string });
    const err = await sdkError(other.getChargePermission('S01-0000000-0000000', { 'x-amz-pay-authtoken': issued.data.authorizationToken }));
    expect(err.status).toBe(403);
    expect(err.body.reasonCode).toBe('InvalidAuthorizationToken');
  });
});
