import { DEFAULT_CONVERSION_RATES, parseConversionRates } from '../../server/domain/conversion.js';
import { seededRandom } from '../../server/ids/random.js';
import { RandomIdGenerator } from '../../server/ids/randomIdGenerator.js';
import type { OperationEnv, OperationResult } from '../../server/domain/operation.js';
import type { Region } from '../../server/domain/types.js';

/** A pure in-memory world for domain tests: apply results' writes to see the next state. */
export function domainWorld(options: { region?: Region; buyerApproval?: 'auto' | 'manual'; now?: number } = {}) {
  const records = new Map<string, unknown>();
  let now = options.now ?? Date.UTC(2026, 0, 15, 12, 0, 0);
  const ids = new RandomIdGenerator(seededRandom('domain-tests'));
  const env = (): OperationEnv => ({
    ctx: { ns: 'TEST', publicKeyId: 'SANDBOX-TEST', region: options.region ?? 'na', environment: 'sandbox', now },
    state: {
      get: <T>(collection: string, id: string) => records.get(`${collection}/${id}`) as T | undefined,
      list: <T>(collection: string) => [...records].filter(([key, value]) => key.startsWith(`${collection}/`) && value !== null && value !== undefined).map(([, value]) => value as T),
    },
    ids,
    settings: { publicUrl: 'https://mock.test', buyerApproval: options.buyerApproval ?? 'auto', pendingDelayMs: 30_000, conversionRates: parseConversionRates(DEFAULT_CONVERSION_RATES) },
  });
  return {
    env,
    ids,
    advance(ms: number) {
      now += ms;
    },
    get now() {
      return now;
    },
    get<T>(collection: string, id: string): T {
      return records.get(`${collection}/${id}`) as T;
    },
    /** Applies the writes of a result, as the store would, and returns the result. */
    apply<R extends OperationResult>(result: R): R {
      for (const w of result.writes) records.set(`${w.collection}/${w.id}`, w.value);
      return result;
    },
  };
}
