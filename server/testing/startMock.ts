import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockControl } from '../client/mockControl.js';
import { loadConfig, packagePath, type Config } from '../config.js';
import { startServer, type RunningServer } from '../server.js';

/** The demo key pair shipped in fixtures/keys (public knowledge: tests only). */
export const demoKeys = {
  publicKeyId: 'SANDBOX-AMZNPAYMOCKDEMO000000001',
  livePublicKeyId: 'LIVE-AMZNPAYMOCKDEMO000000001',
  unprefixedPublicKeyId: 'AMZNPAYMOCKDEMO000000001',
  privateKeyFile: packagePath('fixtures/keys/demo-private.pem'),
  get privateKey(): string {
    return readFileSync(this.privateKeyFile, 'utf8');
  },
};

export interface StartedMock {
  /** HTTPS base URL (what the Node SDK talks to). */
  url: string;
  /** Plain HTTP base URL (control API, hosted pages). */
  httpUrl: string;
  /** The value for the SDK's overrideServiceUrl: `127.0.0.1:<port>`. */
  overrideServiceUrl: string;
  publicKeyId: string;
  privateKey: string;
  /** A ready configuration for the official SDK's WebStoreClient. */
  sdkConfig: { publicKeyId: string; privateKey: string; region: string; algorithm: string; overrideServiceUrl: string };
  /** The control API, scoped to the demo merchant. */
  control: MockControl;
  server: RunningServer;
  close(): Promise<void>;
}

/**
 * Starts a mock in this process on free ports (HTTPS and HTTP), with an in-memory store and quiet
 * logs unless overridden, for one test suite: `const mock = await startMock();` ... `await mock.close()`.
 */
export async function startMock(overrides: Partial<Config> = {}): Promise<StartedMock> {
  const dataDir = overrides.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'amazon-pay-mock-'));
  const ownsDataDir = overrides.dataDir === undefined;
  let config: Config;
  let server: RunningServer;
  try {
    config = loadConfig([], {}, { httpPort: 0, httpsPort: 0, store: 'memory', logLevel: 'silent', ...overrides, dataDir });
    if (!config.https || !config.http) throw new Error('startMock needs both listeners (https for the SDK, http for the control API)');
    server = await startServer(config);
  } catch (err) {
    // A failed start leaves nothing behind: the server closed its listeners, the temporary dir goes here.
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const overrideServiceUrl = `127.0.0.1:${server.https!.port}`;
  const privateKey = demoKeys.privateKey;
  return {
    url: server.https!.url,
    httpUrl: server.http!.url,
    overrideServiceUrl,
    publicKeyId: demoKeys.publicKeyId,
    privateKey,
    sdkConfig: { publicKeyId: demoKeys.publicKeyId, privateKey, region: 'us', algorithm: 'AMZN-PAY-RSASSA-PSS-V2', overrideServiceUrl },
    control: new MockControl({ baseUrl: server.http!.url, merchant: demoKeys.publicKeyId, token: config.adminToken ?? undefined }),
    server,
    async close() {
      await server.close();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
