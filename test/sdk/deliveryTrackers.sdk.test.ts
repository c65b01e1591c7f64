import { describe, expect, it } from 'vitest';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';
import { chargeablePermission } from './flows.js';

/**
 * Amazon's Delivery Tracker page: an invalid chargePermissionId is 400 InvalidParameterValue, and
 * "tracking codes can only be used once".
 */
const suite = useLiveServer();

describe('deliveryTrackers (Delivery Tracker)', () => {
  it('answers 400 InvalidParameterValue for a chargePermissionId that does not exist', async () => {
    const err = await sdkError(suite.client.deliveryTrackers({ chargePermissionId: 'S01-0000000-0000000', deliveryDetails: [{ trackingNumber: '1Z0001', carrierCode: 'UPS' }] }));
    expect(err.status).toBe(400);
    expect(err.body.reasonCode).toBe('InvalidParameterValue');
    expect(err.body.message).toContain('S01-0000000-0000000');
  });

  it('accepts a tracking code once; the same code again is 400 InvalidParameterValue', async () => {
    const chargePermissionId = await chargeablePermission(suite.client, '15.00');
    const detail = { trackingNumber: '1Z999AA10123456784', carrierCode: 'UPS' };
    const first = await suite.client.deliveryTrackers({ chargePermissionId, deliveryDetails: [detail] });
    expect(first.status).toBe(200);
    expect(first.data.deliveryDetails).toEqual([detail]);
    const again = await sdkError(suite.client.deliveryTrackers({ chargePermissionId, deliveryDetails: [detail] }));
    expect(again.status).toBe(400);
    expect(again.body.reasonCode).toBe('InvalidParameterValue');
    expect(again.body.message).toContain('1Z999AA10123456784');
    // Another permission cannot reuse it either, nor can one call send it twice.
    const other = await chargeablePermission(suite.client, '16.00');
    expect((await sdkError(suite.client.deliveryTrackers({ chargePermissionId: other, deliveryDetails: [detail] }))).status).toBe(400);
    const twice = { trackingNumber: 'JP-42', carrierCode: 'YAMATO' };
    expect((await sdkError(suite.client.deliveryTrackers({ chargePermissionId: other, deliveryDetails: [twice, twice] }))).body.reasonCode).toBe('InvalidParameterValue');
    // The refused call stored nothing: the code is still free.
    expect((await suite.client.deliveryTrackers({ chargePermissionId: other, deliveryDetails: [twice] })).status).toBe(200);
  });
});
