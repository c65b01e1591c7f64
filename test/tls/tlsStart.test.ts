import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { prepareTls } from '../../server/tls/tlsSetup.js';

// Counts the certificates issued (each one is seconds of node-forge work on a slow machine).
const issued = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../server/tls/certificateBuilder.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../server/tls/certificateBuilder.js')>();
  return {
    ...actual,
    buildCertificate: (...args: Parameters<typeof actual.buildCertificate>) => {
      issued.count++;
      return actual.buildCertificate(...args);
    },
  };
});

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'apm-tls-start-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const config = (https: boolean) => loadConfig([], {}, { dataDir, https, store: 'memory', logLevel: 'silent' });

describe('TLS at start-up', () => {
  it('issues no certificate when the CA is reused and HTTPS is off; the proxy issues its leaves when asked', async () => {
    await prepareTls(config(false)); // a fresh data dir: the CA is made (one certificate)
    issued.count = 0;
    const tls = await prepareTls(config(false));
    expect(tls.ca.source).toBe('reused');
    expect(tls.ca.name).toMatch(/^amazon-pay-mock local CA \(.+, \d{4}-\d\d-\d\d\)$/);
    expect(issued.count).toBe(0);
    expect(tls.leaves.leafFor('pay-api.amazon.com')).not.toBeNull();
    expect(issued.count).toBe(1);
  });

  it('issues the default leaf once, when the HTTPS listener asks for its options', async () => {
    await prepareTls(config(false));
    issued.count = 0;
    const tls = await prepareTls(config(true));
    expect(tls.listenerOptions.cert).toContain(tls.leaves.defaultLeaf.certPem);
    expect(tls.listenerOptions).toBe(tls.listenerOptions);
    expect(issued.count).toBe(1);
  });
});
