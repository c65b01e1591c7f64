import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { GivenDeps } from '../../server/appDeps.js';
import { loadConfig, type Config } from '../../server/config.js';
import { ControlledClock } from '../../server/clock/controlledClock.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { SigningAlgorithm } from '../../server/signing/algorithms.js';
import { signRequest } from '../../server/signing/signRequest.js';
import { demoKeyIds, demoPrivateKey } from './demoKeys.js';

/**
 * A config for in-process tests: memory store, quiet, no scenario files unless asked, and a data
 * directory of its own that does not exist (never the `./data` a `npm start` in the checkout leaves).
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const dataDir = path.join(os.tmpdir(), `apm-test-${randomUUID()}`);
  return loadConfig([], {}, { store: 'memory', logLevel: 'silent', scenariosDir: null, httpPort: 0, httpsPort: 0, dataDir, ...overrides });
}

export interface TestApp {
  app: FastifyInstance;
  clock: ControlledClock;
  /** Sends a signed request through app.inject, as an SDK would. */
  call(method: string, path: string, body?: unknown, options?: SignOptions): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  /** Sends an unsigned request (control API, raw cases). */
  raw(options: InjectOptions): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface SignOptions {
  /** Added to every POST unless false (create-type POSTs require one, as real SDK users send). */
  idempotencyKey?: string | false;
  publicKeyId?: string;
  algorithm?: SigningAlgorithm;
  headers?: Record<string, string>;
  region?: string;
  dateFormat?: 'iso' | 'compact';
}

function parse(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

/** Builds an app for one test file. The clock starts frozen at a fixed instant unless told otherwise. */
export async function testApp(overrides: Partial<Config> = {}, deps: GivenDeps = {}): Promise<TestApp> {
  const clock = deps.clock ?? new ControlledClock(() => Date.now());
  const app = await buildApp(testConfig(overrides), { store: new MemoryStore(), clock, ...deps });
  const inject = async (options: InjectOptions) => {
    const res = await app.inject(options);
    return { status: res.statusCode, body: parse(res.payload), headers: res.headers as Record<string, unknown> };
  };
  return {
    app,
    clock,
    raw: inject,
    call(method, path, body, options = {}) {
      const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      const signed = signRequest({
        method,
        url: `https://127.0.0.1:8443${path}`,
        body: text,
        privateKey: demoPrivateKey,
        publicKeyId: options.publicKeyId ?? demoKeyIds.sandbox,
        algorithm: options.algorithm,
        headers: {
          ...(method === 'POST' && options.idempotencyKey !== false ? { 'x-amz-pay-idempotency-key': options.idempotencyKey ?? randomUUID().replace(/-/g, '') } : {}),
          ...options.headers,
        },
        region: options.region,
        dateFormat: options.dateFormat,
      });
      const target = new URL(signed.url);
      return inject({ method: method as InjectOptions['method'], url: target.pathname + target.search, headers: signed.headers, payload: text || undefined });
    },
    close: () => app.close(),
  };
}

export const storeId = 'amzn1.application-oa2-client.8b5e45312b5248b69eeaStoreId01';

/** A create body that leaves nothing unset, so the session is ready once a buyer is attached. */
export function readySessionBody(overrides: Record<string, unknown> = {}) {
  return {
    storeId,
    webCheckoutDetails: { checkoutReviewReturnUrl: 'https://merchant.example/review', checkoutResultReturnUrl: 'https://merchant.example/result' },
    paymentDetails: { paymentIntent: 'Authorize', chargeAmount: { amount: '50.00', currencyCode: 'USD' } },
    merchantMetadata: { merchantReferenceId: 'order-1', merchantStoreName: 'Demo Store' },
    ...overrides,
  };
}
