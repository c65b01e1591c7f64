import { describe, expect, it } from 'vitest';
import { applyScenarios } from '../../server/scenarios/apply.js';
import { ScenarioBook } from '../../server/scenarios/book.js';
import type { OperationName } from '../../server/domain/operationNames.js';
import type { CallFacts } from '../../server/scenarios/facts.js';
import { parseFault } from '../../server/scenarios/faults.js';
import { parseRule } from '../../server/scenarios/rules.js';

const facts = (operation: OperationName): CallFacts => ({ operation, checkoutSessionId: null, merchantReferenceId: null, amount: null, currency: null, publicKeyId: null, headers: {} });

async function bookWith(...rules: unknown[]): Promise<ScenarioBook> {
  const book = new ScenarioBook(null);
  await book.add(rules.map((r, i) => parseRule(r, `r${i}`)).reverse(), null);
  return book;
}

describe('applyScenarios', () => {
  it('is null when no rule matches', async () => {
    expect(await applyScenarios(await bookWith({ name: 'x', match: { operation: 'getCharge' }, outcome: { kind: 'drop' } }), facts('getRefund'), 'M')).toBeNull();
  });

  it('sums the latency of rules it passes and lets the first deciding rule answer with an error', async () => {
    const book = await bookWith(
      { name: 'slow', match: { operation: '*' }, outcome: { kind: 'normal' }, delayMs: 40 },
      { name: 'throttle', match: { operation: 'getCharge' }, outcome: { kind: 'error', reasonCode: 'TooManyRequests' }, delayMs: 2 },
    );
    const effect = (await applyScenarios(book, facts('getCharge'), 'M'))!;
    expect(effect).toMatchObject({ names: ['slow', 'throttle'], delayMs: 42, decidedBy: 'throttle', override: null, drop: false });
    expect(effect.error).toMatchObject({ reasonCode: 'TooManyRequests', status: 429 });
  });

  it('turns a simulate outcome into the operation\'s override, and a drop into drop', async () => {
    const simulated = (await applyScenarios(await bookWith({ name: 'sim', match: { operation: 'createCharge' }, outcome: { kind: 'simulate', code: 'HardDeclined' } }), facts('createCharge'), 'M'))!;
    expect(simulated.override).toEqual({ kind: 'decline', reasonCode: 'HardDeclined' });
    expect(await applyScenarios(await bookWith({ name: 'gone', match: { operation: '*' }, outcome: { kind: 'drop' } }), facts('getCharge'), 'M')).toMatchObject({ drop: true, error: null });
  });

  it('applies a wildcard simulate rule only to operations that know its code, keeping its count for them', async () => {
    const book = await bookWith(
      { name: 'decline-next-charge', match: { operation: '*' }, outcome: { kind: 'simulate', code: 'HardDeclined' }, times: 1 },
      { name: 'slow-gets', match: { operation: 'getChargePermission' }, outcome: { kind: 'error', reasonCode: 'TooManyRequests' } },
    );
    // A read the code means nothing to: the rule neither answers it nor uses its one count there.
    expect(await applyScenarios(book, facts('getCharge'), 'M')).toBeNull();
    expect((await applyScenarios(book, facts('getChargePermission'), 'M'))!.decidedBy).toBe('slow-gets');
    expect((await applyScenarios(book, facts('createCharge'), 'M'))!.override).toEqual({ kind: 'decline', reasonCode: 'HardDeclined' });
    expect(await applyScenarios(book, facts('createCharge'), 'M')).toBeNull();
  });
});

describe('parseFault', () => {
  it('makes a 503 fault a counted error rule for its operation', () => {
    expect(parseFault({ operation: 'getCharge', status: 503, times: 2 })).toMatchObject({ name: 'fault:getCharge:503', match: { operation: 'getCharge' }, outcome: { kind: 'error', reasonCode: 'ServiceUnavailable', status: 503 }, times: 2 });
  });

  it.each([
    [{ latencyMs: 'abc' }, 'InvalidParameterValue'],
    [{ latencyMs: 60_001 }, 'InvalidParameterValue'],
    [{ status: '503' }, 'InvalidParameterValue'],
    [{ operation: 'getCharge', latencyMs: null }, 'MissingParameterValue'],
    [{ status: 500, drop: true }, 'InvalidParameterCombination'],
    [{ status: 500, colour: 'red' }, 'UnrecognizedField'],
  ])('refuses %j with %s', (body, reasonCode) => {
    expect(() => parseFault(body)).toThrow(expect.objectContaining({ reasonCode }));
  });
});
