import { describe, expect, it } from 'vitest';
import { IdGenerator, pooledRandom, seededRandom } from '../../server/domain/ids.js';

describe('ids', () => {
  const ids = new IdGenerator(seededRandom('test'));

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
    const a = new IdGenerator(seededRandom('seed-1'));
    const b = new IdGenerator(seededRandom('seed-1'));
    const c = new IdGenerator(seededRandom('seed-2'));
    const run = (g: IdGenerator) => [g.uuid(), g.chargePermissionId('na', 'sandbox', 'OneTime'), g.buyerId()];
    const first = run(a);
    expect(run(b)).toEqual(first);
    expect(run(c)).not.toEqual(first);
  });
});

describe('pooledRandom', () => {
  it('serves small requests from one block and passes large ones through', () => {
    const calls: number[] = [];
    let counter = 0;
    const source = (n: number) => {
      calls.push(n);
      return Uint8Array.from({ length: n }, () => counter++ % 256);
    };
    const pooled = pooledRandom(source, 64);
    const a = pooled(16);
    const b = pooled(16);
    expect(calls).toEqual([64]);
    expect([...a, ...b]).toEqual(Array.from({ length: 32 }, (_, i) => i));
    pooled(40); // does not fit the 32 left: a new block
    expect(calls).toEqual([64, 64]);
    pooled(100);
    expect(calls).toEqual([64, 64, 100]);
  });
});

describe('recordingIds', () => {
  it('hands out the same ids as the generator it wraps and notes each one', async () => {
    const { IdGenerator, recordingIds, seededRandom } = await import('../../server/domain/ids.js');
    const issued = new Set<string>();
    const plain = new IdGenerator(seededRandom('r'));
    const recording = recordingIds(new IdGenerator(seededRandom('r')), issued);
    const fromPlain = [plain.uuid(), plain.chargePermissionId('na', 'sandbox', 'OneTime'), plain.chargeId('S01-1-1'), plain.refundId('S01-1-1-C000001')];
    const fromRecording = [recording.uuid(), recording.chargePermissionId('na', 'sandbox', 'OneTime'), recording.chargeId('S01-1-1'), recording.refundId('S01-1-1-C000001')];
    expect(fromRecording).toEqual(fromPlain);
    expect([...issued]).toEqual(fromRecording);
  });
});
