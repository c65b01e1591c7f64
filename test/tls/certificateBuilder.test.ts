import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { buildAuthorityCertificate, loadOrCreateAuthority } from '../../server/tls/certificateAuthority.js';
import { children, readElement, time } from '../../server/tls/der.js';
import { tlsPaths } from '../../server/tls/tlsFiles.js';
import { prepareTls, type TlsSetup } from '../../server/tls/tlsSetup.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'apm-x509-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const config = (tlsNames: string[] = []) => loadConfig([], {}, { dataDir, tlsNames, store: 'memory', logLevel: 'silent' });

/** Serves the TLS setup's listener options on 127.0.0.1 and makes one request trusting only the CA; resolves with what the client saw. */
async function handshake(tls: TlsSetup, servername: string | undefined): Promise<{ authorized: boolean; body: string; subjectAltName: string }> {
  const server = https.createServer(tls.listenerOptions, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise((resolve, reject) => {
      const req = https.get({ host: '127.0.0.1', port, path: '/', ca: tls.ca.certPem, ...(servername ? { servername } : {}), agent: false }, (res) => {
        const socket = res.socket as import('node:tls').TLSSocket;
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ authorized: socket.authorized, body, subjectAltName: socket.getPeerCertificate().subjectaltname ?? '' }));
      });
      req.on('error', reject);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** `openssl verify` of a leaf against the CA for TLS server use, when openssl is installed. */
function opensslVerify(caPem: string, leafPem: string, dir: string): Promise<string | null> {
  const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (probe.status !== 0) return Promise.resolve(null);
  const caFile = path.join(dir, 'verify-ca.pem');
  const leafFile = path.join(dir, 'verify-leaf.pem');
  return Promise.all([writeFile(caFile, caPem), writeFile(leafFile, leafPem)]).then(() => {
    const r = spawnSync('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', caFile, leafFile], { encoding: 'utf8' });
    return `${r.stdout}${r.stderr}`.trim();
  });
}

describe('certificates built with node:crypto (no node-forge)', () => {
  it('a TLS client that trusts only the local CA accepts the default leaf, by name and by IP', async () => {
    const tls = await prepareTls(config());
    const byName = await handshake(tls, 'localhost');
    expect(byName).toMatchObject({ authorized: true, body: 'ok' });
    expect(byName.subjectAltName).toContain('DNS:localhost');
    // No SNI (an IP address): the default leaf covers 127.0.0.1 and ::1.
    const byIp = await handshake(tls, undefined);
    expect(byIp).toMatchObject({ authorized: true, body: 'ok' });
    expect(byIp.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(byIp.subjectAltName).toContain('IP Address:0:0:0:0:0:0:0:1');
  });

  it('makes an EC CA and EC leaves that openssl verifies for TLS server use', async (ctx) => {
    const tls = await prepareTls(config(['shop.test', 'fd00::1:2', '::ffff:10.1.2.3']));
    const leaf = new X509Certificate(tls.leaves.defaultLeaf.certPem);
    expect(leaf.publicKey.asymmetricKeyType).toBe('ec');
    expect(leaf.checkIssued(new X509Certificate(tls.ca.certPem))).toBe(true);
    expect(leaf.verify(new X509Certificate(tls.ca.certPem).publicKey)).toBe(true);
    expect(leaf.checkIP('fd00:0:0:0:0:0:1:2')).toBe('fd00:0:0:0:0:0:1:2');
    expect(leaf.checkIP('::ffff:10.1.2.3')).toBeTruthy();
    const verdict = await opensslVerify(tls.ca.certPem, tls.leaves.defaultLeaf.certPem, dataDir);
    if (verdict === null) return ctx.skip('openssl is not installed');
    expect(verdict).toMatch(/: OK$/);
  });

  it('keeps serving from the RSA CA and RSA leaf key an older version left in the data dir: leaves signed sha256WithRSAEncryption, trusted', async (ctx) => {
    const rsaKey = () => generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
    const privateKey = rsaKey();
    const paths = tlsPaths(dataDir);
    await mkdir(paths.dir, { recursive: true });
    const certPem = buildAuthorityCertificate(privateKey, new Date(), 'older-host');
    await writeFile(paths.caKey, privateKey, { mode: 0o600 });
    await writeFile(paths.caCert, certPem);
    await writeFile(paths.leafKey, rsaKey(), { mode: 0o600 });
    const ca = await loadOrCreateAuthority(dataDir);
    expect(ca.source).toBe('reused');
    expect(ca.certPem).toBe(certPem);
    const tls = await prepareTls(config());
    expect(await handshake(tls, 'localhost')).toMatchObject({ authorized: true, body: 'ok' });
    const leaf = new X509Certificate(tls.leaves.defaultLeaf.certPem);
    expect(leaf.publicKey.asymmetricKeyType).toBe('rsa');
    const der = leaf.raw;
    const [, algorithm] = children(der, readElement(der, 0));
    // 1.2.840.113549.1.1.11 (sha256WithRSAEncryption) followed by NULL parameters.
    expect(der.subarray(algorithm!.start, algorithm!.end).toString('hex')).toBe('300d06092a864886f70d01010b0500');
    const verdict = await opensslVerify(ca.certPem, tls.leaves.defaultLeaf.certPem, dataDir);
    if (verdict === null) return ctx.skip('openssl is not installed');
    expect(verdict).toMatch(/: OK$/);
  });

  it('writes validity times as UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280)', () => {
    expect(time(new Date('2049-12-31T23:59:59.999Z')).toString('latin1')).toBe('\x17\x0d491231235959Z');
    expect(time(new Date('2050-01-01T00:00:00Z')).toString('latin1')).toBe('\x18\x0f20500101000000Z');
  });
});
