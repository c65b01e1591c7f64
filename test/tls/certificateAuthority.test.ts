import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../server/config.js';
import { authorityProblem, caValidityDays, loadOrCreateAuthority, newKeyPem } from '../../server/tls/certificateAuthority.js';
import { dataDirError, tlsPaths } from '../../server/tls/tlsFiles.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'apm-ca-'));
});

afterEach(async () => {
  await chmod(dataDir, 0o700).catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
});

describe('loadOrCreateAuthority', () => {
  it('creates an EC P-256 CA (its key made in well under a second), long-lived, whose name says what it is and where it was made', async () => {
    const ca = await loadOrCreateAuthority(dataDir);
    expect(ca.source).toBe('generated');
    expect(ca.file).toBe(path.join(dataDir, 'tls', 'ca.pem'));
    const x509 = new X509Certificate(ca.certPem);
    expect(x509.ca).toBe(true);
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.publicKey.asymmetricKeyType).toBe('ec');
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(x509.subject).toMatch(/CN=amazon-pay-mock local CA \(.+, \d{4}-\d{2}-\d{2}\)/);
    expect(x509.subject).toContain('not Amazon');
    const days = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(caValidityDays);
    expect(ca.name).toMatch(/^amazon-pay-mock local CA/);
  });

  it('writes ca.pem and ca-key.pem under <dataDir>/tls, the key readable by its owner only, and a bundle with the public roots', async () => {
    const ca = await loadOrCreateAuthority(dataDir);
    const paths = tlsPaths(dataDir);
    expect(await readFile(paths.caCert, 'utf8')).toBe(ca.certPem);
    const keyPem = await readFile(paths.caKey, 'utf8');
    expect(new X509Certificate(ca.certPem).checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
    if (process.platform !== 'win32') expect((await stat(paths.caKey)).mode & 0o777).toBe(0o600);
    const bundle = await readFile(paths.bundle, 'utf8');
    expect(bundle.startsWith(ca.certPem.trim())).toBe(true);
    expect(bundle).toContain(rootCertificates[0]!);
    expect(ca.bundleFile).toBe(paths.bundle);
  });

  it('keeps the same CA across restarts', async () => {
    const first = await loadOrCreateAuthority(dataDir);
    const second = await loadOrCreateAuthority(dataDir);
    expect(second.source).toBe('reused');
    expect(second.certPem).toBe(first.certPem);
    expect(second.replaced).toBeUndefined();
  });

  it('replaces stored files that are unreadable or do not belong together, saying why', async () => {
    const paths = tlsPaths(dataDir);
    const first = await loadOrCreateAuthority(dataDir);
    await writeFile(paths.caKey, await newKeyPem());
    const replaced = await loadOrCreateAuthority(dataDir);
    expect(replaced.source).toBe('generated');
    expect(replaced.replaced).toMatch(/key does not belong/);
    expect(replaced.certPem).not.toBe(first.certPem);
    await writeFile(paths.caCert, 'garbage');
    expect((await loadOrCreateAuthority(dataDir)).replaced).toMatch(/unreadable/);
  });

  it('replaces a CA that is about to expire', async () => {
    const ca = await loadOrCreateAuthority(dataDir);
    const keyPem = await readFile(tlsPaths(dataDir).caKey, 'utf8');
    expect(authorityProblem(ca.certPem, keyPem)).toBeNull();
    expect(authorityProblem(ca.certPem, keyPem, new Date(Date.now() + (caValidityDays - 10) * 86_400_000))).toMatch(/^expires /);
  });

  it('turns a data dir it may not write into a ConfigError that says how to fix it', async () => {
    // As root, permissions do not stop writes: the error is built from the errno directly too.
    const err = dataDirError({ dataDir, file: path.join(dataDir, 'tls') }, Object.assign(new Error('denied'), { code: 'EACCES' }), 'create');
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/cannot create .*tls: EACCES\. The data dir .* is not usable by this user/);
    expect(err.message).toContain('chown -R');
    expect(err.message).toContain('--data-dir');
    // Not a permission problem: passed on unchanged.
    const other = Object.assign(new Error('disk'), { code: 'EIO' });
    expect(dataDirError({ dataDir, file: dataDir }, other, 'write')).toBe(other);

    if (typeof process.getuid === 'function' && process.getuid() !== 0) {
      await chmod(dataDir, 0o500);
      await expect(loadOrCreateAuthority(dataDir)).rejects.toBeInstanceOf(ConfigError);
    } else {
      // /sys refuses new directories even to root (EPERM).
      await expect(loadOrCreateAuthority('/sys/amazon-pay-mock-test')).rejects.toThrow(/not usable by this user/);
    }
  });
});
