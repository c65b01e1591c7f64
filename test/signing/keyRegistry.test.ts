import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { environmentFromKeyId, isValidPublicKeyId, KeyRegistry, merchantNamespace } from '../../server/signing/index.js';
import { DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, fixturesDir, OTHER_PUBLIC_KEY } from './helpers.js';
import { expectAmazonError } from '../helpers/amazonError.js';

const DEMO_IDS = ['AMZNPAYMOCKDEMO000000001', 'LIVE-AMZNPAYMOCKDEMO000000001', 'SANDBOX-AMZNPAYMOCKDEMO000000001'];

const tempDirs: string[] = [];
function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'amazon-pay-mock-keys-'));
  tempDirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('KeyRegistry.loadDir', () => {
  it('loads the three demo ids from fixtures/keys and skips the private key with a warning', () => {
    const keys = new KeyRegistry();
    const result = keys.loadDir(fixturesDir);
    expect(result.loaded.sort()).toEqual(DEMO_IDS);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([{ file: path.join(fixturesDir, 'demo-private.pem'), message: expect.stringContaining('private key') }]);
    expect(keys.list().map((k) => k.publicKeyId)).toEqual(DEMO_IDS);
    expect(new Set(keys.list().map((k) => k.fingerprint)).size).toBe(1); // one key pair under three ids
  });

  it('accepts <id>.pub.pem as well as <id>.pem and ignores other files', () => {
    const dir = tempDir({ 'SANDBOX-A.pub.pem': DEMO_PUBLIC_KEY, 'B.pem': OTHER_PUBLIC_KEY, 'notes.txt': 'hello', 'C.key': DEMO_PUBLIC_KEY });
    const keys = new KeyRegistry();
    expect(keys.loadDir(dir)).toEqual({ loaded: ['B', 'SANDBOX-A'], warnings: [], errors: [] });
  });

  it('collects bad files as errors instead of throwing, and loads the rest', () => {
    const dir = tempDir({ 'GOOD.pem': DEMO_PUBLIC_KEY, 'BROKEN.pem': '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n', 'bad.name.pem': DEMO_PUBLIC_KEY });
    const keys = new KeyRegistry();
    const result = keys.loadDir(dir);
    expect(result.loaded).toEqual(['GOOD']);
    expect(result.errors.map((e) => path.basename(e.file)).sort()).toEqual(['BROKEN.pem', 'bad.name.pem']);
    expect(keys.has('GOOD')).toBe(true);
    expect(keys.has('BROKEN')).toBe(false);
  });

  it('reports a missing directory as an error', () => {
    const result = new KeyRegistry().loadDir(path.join(tmpdir(), 'amazon-pay-mock-no-such-dir'));
    expect(result.loaded).toEqual([]);
    expect(result.errors).toHaveLength(1);
  });

  it('warns when two files define the same id', () => {
    const dir = tempDir({ 'X.pem': DEMO_PUBLIC_KEY, 'X.pub.pem': OTHER_PUBLIC_KEY });
    const result = new KeyRegistry().loadDir(dir);
    expect(result.loaded).toEqual(['X']);
    expect(result.warnings).toHaveLength(1);
  });
});

describe('KeyRegistry.add', () => {
  it('registers an RSA public key in SPKI or PKCS#1 form, exact id lookup', () => {
    const keys = new KeyRegistry();
    const spki = keys.add('SANDBOX-SPKI', DEMO_PUBLIC_KEY);
    const { publicKey: pkcs1 } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'pkcs1', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    keys.add('PKCS1', pkcs1);
    expect(keys.get('SANDBOX-SPKI')).toBe(spki);
    expect(spki.pem).toBe(DEMO_PUBLIC_KEY);
    expect(spki.modulusBytes).toBe(256);
    expect(spki.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.get('sandbox-spki')).toBeUndefined();
    expect(keys.has('PKCS1')).toBe(true);
    expect(keys.get('PKCS1')!.forgeKey.n.bitLength()).toBe(2048);
  });

  it('refuses another key for a registered id, and for another form of the same merchant\'s id (409)', () => {
    const keys = new KeyRegistry();
    keys.add('SANDBOX-TENANTA', DEMO_PUBLIC_KEY);
    for (const id of ['SANDBOX-TENANTA', 'TENANTA', 'LIVE-TENANTA', 'live-TENANTA']) {
      const err = expectAmazonError(() => keys.add(id, OTHER_PUBLIC_KEY), 'PublicKeyIdInUse', 409);
      expect(err.message).toContain('"replace": true');
    }
    expect(keys.add('LIVE-TENANTA', DEMO_PUBLIC_KEY).publicKeyId).toBe('LIVE-TENANTA'); // the same key: another form, fine
    expect(keys.add('TENANTB', OTHER_PUBLIC_KEY).publicKeyId).toBe('TENANTB');
  });

  it('replaces the key of an id registered again when asked to', () => {
    const keys = new KeyRegistry();
    const first = keys.add('K', DEMO_PUBLIC_KEY);
    const second = keys.add('K', OTHER_PUBLIC_KEY, { replace: true });
    expect(keys.get('K')).toBe(second);
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(keys.list()).toHaveLength(1);
  });

  it('caches the parsed keys per registered key', () => {
    const key = new KeyRegistry().add('K', DEMO_PUBLIC_KEY);
    expect(key.keyObject).toBe(key.keyObject);
    expect(key.forgeKey).toBe(key.forgeKey);
  });

  it('removes a key', () => {
    const keys = new KeyRegistry();
    keys.add('K', DEMO_PUBLIC_KEY);
    expect(keys.remove('K')).toBe(true);
    expect(keys.remove('K')).toBe(false);
    expect(keys.has('K')).toBe(false);
  });

  it.each([
    ['garbage text', 'not a key'],
    ['a broken PEM', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'],
    ['a private key', DEMO_PRIVATE_KEY],
    ['an EC key', generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }).publicKey],
    ['a 512-bit RSA key', generateKeyPairSync('rsa', { modulusLength: 512, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }).publicKey],
    ['an empty string', ''],
  ])('rejects %s with 400 InvalidParameterValue', (_what, pem) => {
    const keys = new KeyRegistry();
    const err = expectAmazonError(() => keys.add('K', pem), 'InvalidParameterValue', 400);
    expect(err.message).toMatch(/^The publicKey is not usable: /);
    expect(keys.has('K')).toBe(false);
  });

  it.each(['', 'has space', 'dot.ted', 'slash/id', 'x'.repeat(65), 'ünïcode'])('rejects the publicKeyId %j with 400 InvalidParameterValue', (id) => {
    expectAmazonError(() => new KeyRegistry().add(id, DEMO_PUBLIC_KEY), 'InvalidParameterValue', 400);
  });

  it('accepts ids of 1 to 64 of A-Z a-z 0-9 _ -', () => {
    for (const id of ['a', 'SANDBOX-AFVX7ULWSGBZ5535PCUQOY7B', 'x'.repeat(64), 'a_b-C9']) expect(isValidPublicKeyId(id)).toBe(true);
  });
});

describe('environmentFromKeyId', () => {
  it.each([
    ['SANDBOX-AFVX7ULWSGBZ5535PCUQOY7B', 'sandbox'],
    ['sandbox-abc', 'sandbox'],
    ['SANDBOXABC', 'sandbox'], // the Node SDK needs no hyphen
    ['LIVE-AFVX7ULWSGBZ5535PCUQOY7B', 'live'],
    ['Live-abc', 'live'],
    ['LIVEABC', 'live'],
    ['AFVX7ULWSGBZ5535PCUQOY7B', null],
    ['XSANDBOX-ABC', null],
    ['SAND-ABC', null],
  ] as const)('%s -> %s', (id, env) => {
    expect(environmentFromKeyId(id)).toBe(env);
  });
});

describe('merchantNamespace', () => {
  it('gives the three forms of one key the same merchant', () => {
    expect(new Set(DEMO_IDS.map(merchantNamespace))).toEqual(new Set(['AMZNPAYMOCKDEMO000000001']));
  });

  it.each([
    ['SANDBOX-ABC', 'ABC'],
    ['sandbox-ABC', 'ABC'],
    ['Live-ABC', 'ABC'],
    ['ABC', 'ABC'],
    ['SANDBOXABC', 'SANDBOXABC'], // only the hyphenated prefix is removed
    ['LIVE-SANDBOX-ABC', 'SANDBOX-ABC'], // only one prefix
    ['XLIVE-ABC', 'XLIVE-ABC'],
  ])('%s -> %s', (id, namespace) => {
    expect(merchantNamespace(id)).toBe(namespace);
  });
});
