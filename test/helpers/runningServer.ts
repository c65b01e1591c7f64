import { afterAll, beforeAll } from 'vitest';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import type { Config } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { testConfig } from './testApp.js';
import { demoKeyIds, demoPrivateKey } from './demoKeys.js';

const require = createRequire(import.meta.url);
/** The official Amazon Pay Node SDK (CommonJS), exactly as merchants use it. */
export const AmazonPay = require('@amazonpay/amazon-pay-api-sdk-nodejs') as {
  WebStoreClient: new (config: Record<string, unknown>) => any;
  AmazonPayClient: new (config: Record<string, unknown>) => any;
};

export interface LiveServer {
  server: RunningServer;
  httpsHost: string;
  /** A WebStoreClient of the official SDK pointed at this server. */
  sdk(options?: { publicKeyId?: string; algorithm?: string; sandbox?: boolean; privateKey?: string; region?: string }): any;
  /** Calls the control API over plain HTTP. */
  admin(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: any }>;
  dataDir: string;
  close(): Promise<void>;
}

const insecure = new Agent({ connect: { rejectUnauthorized: false } });

/** Starts the real server (HTTPS + HTTP on port 0) for SDK and socket-level tests. */
export async function liveServer(overrides: Partial<Config> = {}): Promise<LiveServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apm-live-'));
  const server = await startServer(testConfig({ dataDir, ...overrides }));
  const httpsHost = `127.0.0.1:${server.https!.port}`;
  return {
    server,
    httpsHost,
    dataDir,
    sdk(options = {}) {
      return new AmazonPay.WebStoreClient({
        publicKeyId: options.publicKeyId ?? demoKeyIds.sandbox,
        privateKey: options.privateKey ?? demoPrivateKey,
        region: options.region ?? 'us',
        sandbox: options.sandbox ?? true,
        algorithm: options.algorithm ?? 'AMZN-PAY-RSASSA-PSS-V2',
        overrideServiceUrl: httpsHost,
      });
    },
    async admin(method, urlPath, body) {
      const base = server.http ? server.http.url : server.https!.url;
      const res = await request(`${base}${urlPath}`, {
        method: method as 'GET',
        dispatcher: insecure,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.body.text();
      return { status: res.statusCode, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs an SDK call expected to fail and returns what the SDK reports: status and Amazon's body. */
export async function sdkError(promise: Promise<unknown>): Promise<{ status: number; body: { reasonCode: string; message: string } }> {
  try {
    await promise;
  } catch (err: any) {
    const response = err.response ?? err;
    return { status: response.status, body: response.data };
  }
  throw new Error('expected the SDK call to fail, but it succeeded');
}

/**
 * Starts one live server for a test file (beforeAll) and closes it (afterAll); `suite.live` is the
 * server, `suite.client` an SDK client for the demo merchant on it.
 */
export function useLiveServer(overrides: Partial<Config> = {}): { readonly live: LiveServer; readonly client: any } {
  let live: LiveServer | undefined;
  let client: any;
  beforeAll(async () => {
    live = await liveServer(overrides);
    client = live.sdk();
  });
  afterAll(async () => {
    await live?.close();
  });
  return {
    get live() {
      if (!live) throw new Error('the live server starts in beforeAll; use it inside tests');
      return live;
    },
    get client() {
      return client;
    },
  };
}
