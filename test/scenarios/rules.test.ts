import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packagePath } from '../../server/config.js';
import { AmazonPayError } from '../../server/domain/errors.js';
import { operationNames } from '../../server/domain/operationNames.js';
import type { CallFacts } from '../../server/scenarios/facts.js';
import { parseRule, parseScenarioDocument, ruleMatches } from '../../server/scenarios/rules.js';

const facts = (over: Partial<CallFacts> = {}): CallFacts => ({
  operation: 'completeCheckoutSession', checkoutSessionId: 's1', merchantReferenceId: 'ref', amount: '50.00', currency: 'USD', publicKeyId: 'SANDBOX-K', headers: {}, ...over,
});

describe('scenario rules', () => {
  it('defaults an error outcome\'s status to the catalog\'s', () => {
    const rule = parseRule({ name: 'x', match: { operation: 'completeCheckoutSession' }, outcome: { kind: 'error', reasonCode: 'HardDeclined' } }, 'r');
    expect(rule.outcome).toEqual({ kind: 'error', reasonCode: 'HardDeclined', status: 422, message: null });
    expect(rule.times).toBeNull();
  });

  it.each([
    ['an unknown reason code', { kind: 'error', reasonCode: 'Oops' }, 'completeCheckoutSession'],
    ['a pending outcome on an operation that cannot be pending', { kind: 'pending' }, 'getCheckoutSession'],
    ['a cancel reason Amazon does not use', { kind: 'cancel', reasonCode: 'Bored' }, 'completeCheckoutSession'],
    ['an error status below 400', { kind: 'error', reasonCode: 'HardDeclined', status: 200 }, 'completeCheckoutSession'],
  ])('rejects %s', (_label, outcome, operation) => {
    expect(() => parseRule({ name: 'x', match: { operation }, outcome }, 'r')).toThrow(AmazonPayError);
  });

  it('reads delayMs, times and status as whole numbers, given as numbers or digit strings, within their limits', () => {
    const rule = parseRule({ name: 'x', match: { operation: 'completeCheckoutSession' }, outcome: { kind: 'error', reasonCode: 'HardDeclined', status: '429' }, delayMs: '250', times: 3 }, 'r');
    expect([rule.delayMs, rule.times, rule.outcome]).toEqual([250, 3, { kind: 'error', reasonCode: 'HardDeclined', status: 429, message: null }]);
    for (const [field, value] of [['delayMs', 60_001], ['times', 1.5], ['times', '-1'], ['delayMs', 'soon']] as const) {
      expect(() => parseRule({ name: 'x', match: { operation: '*' }, outcome: { kind: 'normal' }, [field]: value }, 'r')).toThrow(`The value '${value}' provided for 'r.${field}' is invalid. Use a whole number from 0 to`);
    }
  });

  it('rejects an unknown field in a rule', () => {
    expect(() => parseRule({ name: 'x', match: { operation: '*' }, outcome: { kind: 'normal' }, when: 'now' }, 'r')).toThrow(/'when'/);
  });

  it('matches amounts numerically and headers case-insensitively by name', () => {
    const rule = parseRule({ name: 'x', match: { operation: '*', amount: 50, header: { name: 'X-Test', value: 'on' } }, outcome: { kind: 'normal' } }, 'r');
    expect(ruleMatches(rule, facts({ headers: { 'x-test': 'on' } }))).toBe(true);
    expect(ruleMatches(rule, facts({ headers: { 'x-test': 'off' } }))).toBe(false);
    expect(ruleMatches(rule, facts({ amount: '50.01', headers: { 'x-test': 'on' } }))).toBe(false);
  });

  it('stops matching once its times are used up', () => {
    const rule = parseRule({ name: 'x', match: { operation: '*' }, outcome: { kind: 'normal' }, times: 0 }, 'r');
    expect(ruleMatches(rule, facts())).toBe(false);
  });

  it('reads a single rule, an array, and {rules: [...]}', () => {
    const one = { name: 'a', match: { operation: '*' }, outcome: { kind: 'normal' } };
    expect(parseScenarioDocument(one, 'f')).toHaveLength(1);
    expect(parseScenarioDocument([one, one], 'f')).toHaveLength(2);
    expect(parseScenarioDocument({ rules: [one] }, 'f')).toHaveLength(1);
  });

  it('keeps the JSON schema\'s operation list and outcome kinds in step with the parser', () => {
    const schema = JSON.parse(readFileSync(packagePath('fixtures/scenarios/scenario.schema.json'), 'utf8'));
    expect(schema.$defs.match.properties.operation.enum).toEqual(['*', ...operationNames]);
    expect(schema.$defs.outcome.properties.kind.enum).toEqual(['normal', 'pending', 'cancel', 'error', 'simulate', 'drop']);
  });
});
