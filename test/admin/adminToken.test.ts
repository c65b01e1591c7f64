import { describe, expect, it } from 'vitest';
import { testApp } from '../helpers/testApp.js';

describe('control API token', () => {
  it('requires Authorization: Bearer <token> on control routes when configured, but not on health', async () => {
    const t = await testApp({ adminToken: 's3cret' });
    try {
      const denied = await t.raw({ method: 'GET', url: '/__admin/clock' });
      expect(denied.status).toBe(401);
      expect(denied.body.reasonCode).toBe('UnauthorizedAccess');
      expect((await t.raw({ method: 'GET', url: '/__admin/clock', headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await t.raw({ method: 'GET', url: '/__admin/clock', headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
      expect((await t.raw({ method: 'GET', url: '/__admin/health' })).status).toBe(200);
      expect((await t.raw({ method: 'POST', url: '/__admin/reset' })).status).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('leaves the control API open without a token', async () => {
    const t = await testApp();
    try {
      expect((await t.raw({ method: 'GET', url: '/__admin/clock' })).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('open control routes', () => {
  it('stay open with a trailing slash', async () => {
    const t = await testApp({ adminToken: 's3cret' });
    try {
      expect((await t.raw({ method: 'GET', url: '/__admin/health/' })).status).toBe(200);
      expect((await t.raw({ method: 'GET', url: '/__admin/clock/' })).status).toBe(401);
    } finally {
      await t.close();
    }
  });
});
