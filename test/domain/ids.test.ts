import { describe, expect, it } from 'vitest';
import { recordingIds, type IdGenerator } from '../../server/domain/ids.js';
import { seededRandom } from '../../server/ids/random.js';
import { RandomIdGenerator } from '../../server/ids/randomIdGenerator.js';

describe('recordingIds', () => {
  it('hands out the same ids as the generator it wraps and notes each one', () => {
    const issued = new Set<string>();
    const plain = new RandomIdGenerator(seededRandom('r'));
    const recording = recordingIds(new RandomIdGenerator(seededRandom('r')), issued);
    const draw = (ids: IdGenerator) => [
      ids.uuid(),
      ids.chargePermissionId('na', 'sandbox', 'OneTime'),
      ids.chargeBase('eu', 'live'),
      ids.chargeId('S01-1-1'),
      ids.refundId('S01-1-1-C000001'),
      ids.buyerId(),
    ];
    const fromPlain = draw(plain);
    const fromRecording = draw(recording);
    expect(fromRecording).toEqual(fromPlain);
    expect([...issued]).toEqual(fromRecording);
  });

  it('passes the other ids through from the same sequence without noting them', () => {
    const issued = new Set<string>();
    const plain = new RandomIdGenerator(seededRandom('p'));
    const recording = recordingIds(new RandomIdGenerator(seededRandom('p')), issued);
    const run = (g: IdGenerator) => [g.digits(5), g.alphanumeric(6), g.numericId(), g.numericId(4), g.reportDocumentId(), g.disputeId('S01-1-1-C000001'), g.token()];
    expect(run(recording)).toEqual(run(plain));
    expect(issued.size).toBe(0);
  });
});
