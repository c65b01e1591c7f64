import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/testApp.js';
import { FileStore } from '../../server/store/fileStore.js';
import type { KeptRecords } from '../../server/store/store.js';
import { expectAmazonAnswer } from '../helpers/amazonError.js';

const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const tenant = pair();
const attacker = pair();

const register = (t: TestApp, body: Record<string, unknown>) =>
  t.raw({ method: 'POST', url: '/__admin/publicKeys', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('registering public keys', () => {
  it('refuses another key under a taken id or any other form of the merchant\'s id (409), so no one takes over a tenant', async () => {
    const t = await testApp();
    try {
      expect((await register(t, { publicKeyId: 'SANDBOX-TENANTA', publicKey: tenant.publicKey })).status).toBe(201);
      for (const publicKeyId of ['SANDBOX-TENANTA', 'TENANTA', 'LIVE-TENANTA']) {
        const res = await register(t, { publicKeyId, publicKey: attacker.publicKey });
        expectAmazonAnswer(res, 409, 'PublicKeyIdInUse', publicKeyId);
      }
      expect((await t.raw({ method: 'GET', url: '/__admin/publicKeys' })).body.publicKeys.filter((k: { publicKeyId: string }) => /TENANTA$/.test(k.publicKeyId))).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('answers 200 for the same key again, and replaces a key only with "replace": true', async () => {
    const t = await testApp();
    try {
      expect((await register(t, { publicKeyId: 'SANDBOX-TENANTB', publicKey: tenant.publicKey })).status).toBe(201);
      expect((await register(t, { publicKeyId: 'SANDBOX-TENANTB', publicKey: tenant.publicKey })).status).toBe(200);
      expect((await register(t, { publicKeyId: 'LIVE-TENANTB', publicKey: tenant.publicKey })).status).toBe(201);
      const replaced = await register(t, { publicKeyId: 'SANDBOX-TENANTB', publicKey: attacker.publicKey, replace: true });
      expect(replaced.status).toBe(201);
      expect((await register(t, { publicKeyId: 'SANDBOX-TENANTB', publicKey: attacker.publicKey, replace: 'yes' })).body.reasonCode).toBe('InvalidParameterValue');
    } finally {
      await t.close();
    }
  });

  it('refuses a key id that is only a SANDBOX- or LIVE- prefix (it names no merchant) with 400, registering nothing', async () => {
    const t = await testApp();
    try {
      for (const publicKeyId of ['SANDBOX-', 'LIVE-', 'live-']) {
        const res = await register(t, { publicKeyId, publicKey: tenant.publicKey });
        expectAmazonAnswer(res, 400, 'InvalidParameterValue', publicKeyId);
      }
      const listed = (await t.raw({ method: 'GET', url: '/__admin/publicKeys' })).body.publicKeys.map((k: { publicKeyId: string }) => k.publicKeyId);
      expect(listed.filter((id: string) => /^(sandbox|live)-$/i.test(id))).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('keeps keys registered at run time across a restart, and across a full reset', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'apm-keys-'));
    dirs.push(dir);
    const file = path.join(dir, 'db.json');
    const first = await testApp({ store: 'file' }, { store: new FileStore(file) });
    expect((await register(first, { publicKeyId: 'SANDBOX-RESTARTED', publicKey: tenant.publicKey })).status).toBe(201);
    expect((await first.raw({ method: 'POST', url: '/__admin/reset' })).status).toBe(200);
    await first.close();
    const second = await testApp({ store: 'file' }, { store: new FileStore(file) });
    try {
      const listed = (await second.raw({ method: 'GET', url: '/__admin/publicKeys' })).body.publicKeys;
      expect(listed.map((k: { publicKeyId: string }) => k.publicKeyId)).toContain('SANDBOX-RESTARTED');
      expect((await register(second, { publicKeyId: 'RESTARTED', publicKey: attacker.publicKey })).status).toBe(409);
    } finally {
      await second.close();
    }
  });

  it('keeps registered keys through a crash right after a full reset: the reset itself keeps them, nothing is written back later', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'apm-keys-'));
    const crashed = mkdtempSync(path.join(os.tmpdir(), 'apm-keys-crash-'));
    dirs.push(dir, crashed);
    /** Copies its files, as a crash would leave them, the moment a full reset is durable. */
    class CrashCopyAfterReset extends FileStore {
      override async reset(ns?: string, keep?: readonly KeptRecords[]): Promise<void> {
        await super.reset(ns, keep);
        if (ns === undefined) await cp(dir, crashed, { recursive: true, verbatimSymlinks: true });
      }
    }
    const first = await testApp({ store: 'file' }, { store: new CrashCopyAfterReset(path.join(dir, 'db.json')) });
    try {
      expect((await register(first, { publicKeyId: 'SANDBOX-CRASHED', publicKey: tenant.publicKey })).status).toBe(201);
      expect((await first.raw({ method: 'POST', url: '/__admin/reset' })).status).toBe(200);
    } finally {
      await first.close();
    }
    const second = await testApp({ store: 'file' }, { store: new FileStore(path.join(crashed, 'db.json')) });
    try {
      const listed = (await second.raw({ method: 'GET', url: '/__admin/publicKeys' })).body.publicKeys;
      expect(listed.map((k: { publicKeyId: string }) => k.publicKeyId)).toContain('SANDBOX-CRASHED');
    } finally {
      await second.close();
    }
  });
});
