import { describe, expect, it } from 'vitest';
import { recordingIds } from '../../server/domain/ids.js';
import { seededRandom } from '../../server/ids/random.js';
import { RandomIdGenerator } from '../../server/ids/randomIdGenerator.js';

describe('recordingIds', () => {
  it('hands out the same ids as the generator it wraps and notes each one', () => {
        const issued = new Set<string>();
    const plain = new RandomIdGenerator(seededRandom('r'));
    const recording = recordingIds(new RandomIdGenerator(seededRandom('r')), issued);
    const fromPlain = [plain.uuid(), plain.chargePermissionId('na', 'sandbox', 'OneTime'), plain.chargeId('S01-1-1'), plain.refundId('S01-1-1-C000001')];
    const fromRecording = [recording.uuid(), recording.chargePermissionId('na', 'sandbox', 'OneTime'), recording.chargeId('S01-1-1'), recording.refundId('S01-1-1-C000001')];
    expect(fromRecording).toEqual(fromPlain);
    expect([...issued]).toEqual(fromRecording);
  });
});
