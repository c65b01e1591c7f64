import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { amazonHosts } from '../../server/domain/amazonHosts.js';
import { leafValidityDays } from '../../server/tls/leafCertificates.js';
import { prepareTls } from '../../server/tls/tlsSetup.js';

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'apm-leaf-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const config = (tlsNames: string[] = []) => loadConfig([], {}, { dataDir, tlsNames, store: 'memory', logLevel: 'silent' });

/** True when `leafPem` was signed by `caPem`. */
function issuedBy(leafPem: string, caPem: string): boolean {
  const leaf = new X509Certificate(leafPem);
  const ca = new X509Certificate(caPem);
  return leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
}

describe('leaf certificates from the local CA', () => {
  it('serves a default leaf for localhost, 127.0.0.1, ::1 and --tls-names, issued by the CA', async () => {
    const tls = await prepareTls(config(['shop.test']));
    const leaf = new X509Certificate(tls.leaves.defaultLeaf.certPem);
    expect(issuedBy(tls.leaves.defaultLeaf.certPem, tls.ca.certPem)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkHost('shop.test')).toBe('shop.test');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkIP('::1')).toBe('::1');
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    const days = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(leafValidityDays);
    expect(tls.served).toEqual({ source: 'ca', file: tls.ca.file, names: ['localhost', '127.0.0.1', '::1', 'shop.test'] });
  });

  it('issues one leaf per served SNI name on demand: every Amazon host and every configured name', async () => {
    const tls = await prepareTls(config(['shop.test']));
    for (const host of [...Object.keys(amazonHosts), 'shop.test', 'LOCALHOST', 'localhost.']) {
      const leaf = tls.leaves.leafFor(host);
      expect(leaf, host).not.toBeNull();
      const x509 = new X509Certificate(leaf!.certPem);
      expect(x509.checkHost(host.toLowerCase().replace(/\.$/, '')), host).toBeTruthy();
      expect(issuedBy(leaf!.certPem, tls.ca.certPem)).toBe(true);
    }
    // Cached: the same leaf each time.
    expect(tls.leaves.leafFor('pay-api.amazon.eu')).toBe(tls.leaves.leafFor('PAY-API.AMAZON.EU'));
    expect(tls.leaves.leafFor('other.test')).toBeNull();
    expect(tls.leaves.leafFor('')).toBeNull();
  });

  it('keeps the CA when names are added, and a leaf for the new name verifies against the CA trusted before', async () => {
    const before = await prepareTls(config());
    expect(before.leaves.leafFor('added.test')).toBeNull();
    const after = await prepareTls(config(['added.test', '10.9.8.7']));
    expect(after.ca.certPem).toBe(before.ca.certPem);
    expect(after.ca.source).toBe('reused');
    expect(after.leaves.key).toBe(before.leaves.key);
    const leaf = after.leaves.leafFor('added.test');
    expect(issuedBy(leaf!.certPem, before.ca.certPem)).toBe(true);
    expect(new X509Certificate(after.leaves.defaultLeaf.certPem).checkIP('10.9.8.7')).toBe('10.9.8.7');
  });
});
