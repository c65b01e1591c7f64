import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../server/config.js';
import { certificateNames, loadConfiguredCertificate } from '../../server/tls/certificate.js';
import { buildAuthorityCertificate, newKeyPem } from '../../server/tls/certificateAuthority.js';
import { tlsPaths } from '../../server/tls/tlsFiles.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'apm-tls-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function pair(name: string): Promise<{ cert: string; key: string }> {
  const key = await newKeyPem();
  return { cert: buildAuthorityCertificate(key, new Date(), name), key };
}

describe('loadConfiguredCertificate (--tls-cert/--tls-key)', () => {
  it('serves configured cert and key files as they are, without touching the data dir', async () => {
    const made = await pair('configured');
    const certFile = path.join(dir, 'mine.crt');
    const keyFile = path.join(dir, 'mine.key');
    await writeFile(certFile, made.cert);
    await writeFile(keyFile, made.key);
    expect(await loadConfiguredCertificate({ tlsCert: certFile, tlsKey: keyFile })).toEqual({ cert: made.cert, key: made.key, file: certFile });
    await expect(stat(tlsPaths(dir).dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects configured files that are missing or do not match, naming the option', async () => {
    const a = await pair('a');
    const b = await pair('b');
    const certFile = path.join(dir, 'a.crt');
    const keyFile = path.join(dir, 'b.key');
    await writeFile(certFile, a.cert);
    await writeFile(keyFile, b.key);
    await expect(loadConfiguredCertificate({ tlsCert: certFile, tlsKey: keyFile })).rejects.toThrow(/tlsKey .* does not belong to tlsCert/);
    const missing = loadConfiguredCertificate({ tlsCert: path.join(dir, 'nope.crt'), tlsKey: keyFile });
    await expect(missing).rejects.toBeInstanceOf(ConfigError);
    await expect(missing).rejects.toThrow(/tlsCert: cannot read .*nope\.crt \(ENOENT\)/);
    await writeFile(certFile, 'not pem');
    await expect(loadConfiguredCertificate({ tlsCert: certFile, tlsKey: keyFile })).rejects.toThrow(/not a PEM certificate/);
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
