import { chmod, chown, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { newKeyPem } from '../../server/tls/certificateAuthority.js';
import { tlsPaths } from '../../server/tls/tlsFiles.js';
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

describe('modes of the TLS files (an application container of another uid reads ca.pem from the shared volume)', () => {
  const posix = process.platform !== 'win32';
  const modeOf = async (file: string) => (await stat(file)).mode & 0o777;
  const fresh: string[] = [];
  const freshDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'apm-tls-modes-'));
    fresh.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of fresh) await rm(dir, { recursive: true, force: true });
  });
  const start = (dir: string) => prepareTls(loadConfig([], {}, { dataDir: dir, https: false, store: 'memory', logLevel: 'silent' }));

  it.runIf(posix)('makes the tls dir 0755, ca.pem and ca-bundle.pem 0644 and the keys 0600, even under umask 077', async () => {
    const dir = await freshDir();
    const before = process.umask(0o077);
    try {
      await start(dir);
    } finally {
      process.umask(before);
    }
    const paths = tlsPaths(dir);
    expect(await modeOf(paths.dir)).toBe(0o755);
    expect(await modeOf(paths.caCert)).toBe(0o644);
    expect(await modeOf(paths.bundle)).toBe(0o644);
    expect(await modeOf(paths.caKey)).toBe(0o600);
    expect(await modeOf(paths.leafKey)).toBe(0o600);
  });

  it.runIf(posix)('opens a tls dir an older version made 0700 and closes a key file others could read; the CA is kept', async () => {
    const dir = await freshDir();
    const first = await start(dir);
    const paths = tlsPaths(dir);
    await chmod(paths.dir, 0o700);
    await chmod(paths.leafKey, 0o644);
    const again = await start(dir);
    expect(again.ca.source).toBe('reused');
    expect(again.ca.certPem).toBe(first.ca.certPem);
    expect(await modeOf(paths.dir)).toBe(0o755);
    expect(await modeOf(paths.leafKey)).toBe(0o600);
    expect(await modeOf(paths.caKey)).toBe(0o600);
  });

  it.runIf(posix)('leaves a dir mode the user chose (other than the old 0700) as it is', async () => {
    const dir = await freshDir();
    await start(dir);
    await chmod(tlsPaths(dir).dir, 0o750);
    await start(dir);
    expect(await modeOf(tlsPaths(dir).dir)).toBe(0o750);
  });

  it.runIf(posix && typeof process.getuid === 'function' && process.getuid() === 0)('touches nothing it does not own, and still starts', async () => {
    // Only root can hand a file to another uid; elsewhere this case cannot be set up.
    const dir = await freshDir();
    const paths = tlsPaths(dir);
    await mkdir(paths.dir, { mode: 0o700 });
    await writeFile(paths.leafKey, await newKeyPem(), { mode: 0o644 });
    await chown(paths.dir, 4242, 4242);
    await chown(paths.leafKey, 4242, 4242);
    await start(dir);
    expect(await modeOf(paths.dir)).toBe(0o700);
    expect(await modeOf(paths.leafKey)).toBe(0o644);
  });
});
