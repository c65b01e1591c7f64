import { describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../../server/ids/random.js';
import { RandomIdGenerator } from '../../server/ids/randomIdGenerator.js';
import { IpnService } from '../../server/ipn/ipnService.js';
import { createStore } from '../../server/store/createStore.js';

// Counts requests for the signing identity (an RSA key pair, generated in the thread pool, plus its certificate).
const asked = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../server/ipn/signingIdentity.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../server/ipn/signingIdentity.js')>();
  return {
    ...actual,
    signingIdentity: () => {
      asked.count++;
      return actual.signingIdentity();
    },
  };
});

function service(defaultUrls: string[]) {
  return new IpnService({ store: createStore('memory'), ids: new RandomIdGenerator(seededRandom('ipn')), publicUrl: () => 'http://127.0.0.1:9', defaultUrls, retryDelaysMs: [20], timeoutMs: 100 });
}

describe('the IPN signing key at start-up', () => {
  it('is not made at start when no endpoint is configured by default, only once a merchant configures signed IPNs', async () => {
    asked.count = 0;
    const ipn = service([]);
    await ipn.start();
    expect(asked.count).toBe(0);
    await ipn.setConfig('DEMO', { urls: [], signed: true });
    expect(asked.count).toBe(0);
    await ipn.setConfig('DEMO', { urls: ['http://127.0.0.1:9/ipn'], signed: true });
    expect(asked.count).toBe(1);
    ipn.close();
  });

  it('is made at start when endpoints are configured by default', async () => {
    asked.count = 0;
    const ipn = service(['http://127.0.0.1:9/ipn']);
    await ipn.start();
    expect(asked.count).toBe(1);
    ipn.close();
  });
});
