import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../server/ids/random.js';
import { RandomIdGenerator } from '../../server/ids/randomIdGenerator.js';

describe('ids', () => {
  const ids = new RandomIdGenerator(seededRandom('test'));

  it('makes lowercase UUID v4 session ids', () => {
    expect(ids.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each([
    ['na', 'sandbox', 'OneTime', /^S01-\d{7}-\d{7}$/],
    ['eu', 'live', 'OneTime', /^P02-\d{7}-\d{7}$/],
    ['jp', 'sandbox', 'Recurring', /^C03-\d{7}-\d{7}$/],
    ['na', 'live', 'PaymentMethodOnFile', /^B01-\d{7}-\d{7}$/],
  ] as const)('makes %s %s %s permission ids', (region, env, type, pattern) => {
    expect(ids.chargePermissionId(region, env, type)).toMatch(pattern);
  });

  it('derives charge and refund ids from their parents', () => {
    const charge = ids.chargeId('S01-1234567-7654321');
    expect(charge).toMatch(/^S01-1234567-7654321-C\d{6}$/);
    expect(ids.refundId(charge)).toMatch(/^S01-1234567-7654321-R\d{6}$/);
    expect(ids.buyerId()).toMatch(/^amzn1\.account\.[A-Z0-9]{28}$/);
  });

  it('repeats the same ids for the same seed', () => {
    const a = new RandomIdGenerator(seededRandom('seed-1'));
    const b = new RandomIdGenerator(seededRandom('seed-1'));
    const c = new RandomIdGenerator(seededRandom('seed-2'));
    const run = (g: RandomIdGenerator) => [g.uuid(), g.chargePermissionId('na', 'sandbox', 'OneTime'), g.buyerId()];
    const first = run(a);
    expect(run(b)).toEqual(first);
    expect(run(c)).not.toEqual(first);
  });
});
