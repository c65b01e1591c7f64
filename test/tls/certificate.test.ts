import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type Config } from '../../server/config.js';
import {
  certificateNames,
  certificatePaths,
  generateCertificate,
  loadOrCreateCertificate,
  reuseProblem,
} from '../../server/tls/certificate.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'apm-tls-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function config(overrides: Partial<Config> = {}): Config {
  return loadConfig([], {}, { dataDir, logLevel: 'silent', store: 'memory', ...overrides });
}

/** subjectAltName as OpenSSL prints it, e.g. "DNS:localhost, IP Address:127.0.0.1". */
function sans(pem: string): string[] {
  return (new X509Certificate(pem).subjectAltName ?? '').split(', ');
}

describe('loadOrCreateCertificate', () => {
  it('generates a self-signed server certificate for localhost, 127.0.0.1, ::1 and the extra names', async () => {
    const c = await loadOrCreateCertificate(config({ tlsNames: ['pay-api.amazon.com', '10.1.2.3', '[fd00::7]'] }));
    expect(c.source).toBe('generated');
    expect(c.file).toBe(certificatePaths({ dataDir }).cert);
    const x509 = new X509Certificate(c.cert);
    expect(sans(c.cert)).toEqual([
      'DNS:localhost',
      'IP Address:127.0.0.1',
      'IP Address:0:0:0:0:0:0:0:1',
      'DNS:pay-api.amazon.com',
      'IP Address:10.1.2.3',
      'IP Address:FD00:0:0:0:0:0:0:7',
    ]);
    expect(x509.subject).toContain('CN=amazon-pay-mock');
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.ca).toBe(false);
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // extKeyUsage serverAuth
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.checkIP('::1')).toBe('::1');
    const days = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / 86_400_000;
    expect(days).toBeGreaterThan(800);
    expect(days).toBeLessThanOrEqual(825);
    expect(Date.parse(x509.validFrom)).toBeLessThanOrEqual(Date.now());
  });

  it('writes cert.pem and key.pem under <dataDir>/tls, the key readable by its owner only', async () => {
    const c = await loadOrCreateCertificate(config());
    const paths = certificatePaths({ dataDir });
    expect(await readFile(paths.cert, 'utf8')).toBe(c.cert);
    expect(await readFile(paths.key, 'utf8')).toBe(c.key);
    if (process.platform !== 'win32') expect((await stat(paths.key)).mode & 0o777).toBe(0o600);
    expect(new X509Certificate(c.cert).checkPrivateKey((await import('node:crypto')).createPrivateKey(c.key))).toBe(true);
  });

  it('reuses the stored certificate on the next start', async () => {
    const first = await loadOrCreateCertificate(config({ tlsNames: ['shop.test'] }));
    const second = await loadOrCreateCertificate(config({ tlsNames: ['SHOP.test'] }));
    expect(second.source).toBe('reused');
    expect(second.cert).toBe(first.cert);
    expect(second.key).toBe(first.key);
    // Fewer names than the stored certificate covers still fit.
    expect((await loadOrCreateCertificate(config())).source).toBe('reused');
  });

  it('regenerates when a configured name is not covered', async () => {
    const first = await loadOrCreateCertificate(config());
    const second = await loadOrCreateCertificate(config({ tlsNames: ['pay-api.amazon.eu'] }));
    expect(second.source).toBe('generated');
    expect(second.replaced).toMatch(/does not cover pay-api\.amazon\.eu/);
    expect(second.cert).not.toBe(first.cert);
    expect(sans(second.cert)).toContain('DNS:pay-api.amazon.eu');
    expect(await readFile(certificatePaths({ dataDir }).cert, 'utf8')).toBe(second.cert);
  });

  it('regenerates when the stored files are unreadable or do not belong together', async () => {
    const paths = certificatePaths({ dataDir });
    await loadOrCreateCertificate(config());
    const other = await generateCertificate(['localhost', '127.0.0.1', '::1']);
    await writeFile(paths.key, other.key);
    const replaced = await loadOrCreateCertificate(config());
    expect(replaced.source).toBe('generated');
    expect(replaced.replaced).toMatch(/key does not belong/);
    await writeFile(paths.cert, 'garbage');
    expect((await loadOrCreateCertificate(config())).source).toBe('generated');
  });

  it('regenerates a certificate that is about to expire', async () => {
    const names = certificateNames(config());
    const old = await generateCertificate(names, new Date(Date.now() - 824.5 * 86_400_000));
    expect(reuseProblem(old.cert, old.key, names)).toMatch(/^expires /);
    expect(reuseProblem(old.cert, old.key, names, new Date(Date.now() - 800 * 86_400_000))).toBeNull();
  });

  it('serves configured cert and key files as they are', async () => {
    const made = await generateCertificate(['configured.test']);
    const certFile = path.join(dataDir, 'mine.crt');
    const keyFile = path.join(dataDir, 'mine.key');
    await writeFile(certFile, made.cert);
    await writeFile(keyFile, made.key);
    const c = await loadOrCreateCertificate(config({ tlsCert: certFile, tlsKey: keyFile, tlsNames: ['ignored.test'] }));
    expect(c).toMatchObject({ source: 'configured', file: certFile, cert: made.cert, key: made.key });
    // Nothing is generated next to the data.
    await expect(stat(certificatePaths({ dataDir }).dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects configured files that are missing or do not match, naming the option', async () => {
    const a = await generateCertificate(['a.test']);
    const b = await generateCertificate(['b.test']);
    const certFile = path.join(dataDir, 'a.crt');
    const keyFile = path.join(dataDir, 'b.key');
    await writeFile(certFile, a.cert);
    await writeFile(keyFile, b.key);
    await expect(loadOrCreateCertificate(config({ tlsCert: certFile, tlsKey: keyFile }))).rejects.toThrow(/tlsKey .* does not belong to tlsCert/);
    const missing = loadOrCreateCertificate(config({ tlsCert: path.join(dataDir, 'nope.crt'), tlsKey: keyFile }));
    await expect(missing).rejects.toBeInstanceOf(ConfigError);
    await expect(missing).rejects.toThrow(/tlsCert: cannot read .*nope\.crt \(ENOENT\)/);
  });
});

describe('certificateNames', () => {
  it('puts the loopback names first, then the extra names, without duplicates', () => {
    expect(certificateNames({ tlsNames: ['Example.TEST', '127.0.0.1', '0:0:0:0:0:0:0:1', '*.shop.test', '[fd00::1]'] })).toEqual([
      'localhost',
      '127.0.0.1',
      '::1',
      'example.test',
      '*.shop.test',
      'fd00::1',
    ]);
  });

  it('rejects a name that is neither a host name nor an IP', () => {
    expect(() => certificateNames({ tlsNames: ['https://example.com'] })).toThrow(ConfigError);
  });
});
