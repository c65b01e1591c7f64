import type { CallFacts } from './facts.js';
import { apiError } from '../domain/errors.js';
import { isJsonObject } from '../domain/jsonObject.js';
import { operationNames } from '../domain/operationNames.js';
import { simulationCodes } from './simulations.js';
import { isReasonCode, reasonCodes, type ReasonCode } from '../domain/reasonCodes.js';
import { obj, oneOf, str, validate, wholeNumberOf } from '../domain/validation.js';

/** What a rule makes the next matching call do. */
export type ScriptedOutcome =
  | { kind: 'normal' }
  | { kind: 'pending'; settleTo: 'Authorized' | 'Declined'; reasonCode: string | null }
  | { kind: 'cancel'; reasonCode: 'BuyerCanceled' | 'Declined' | 'AmazonCanceled' | 'Expired' }
  | { kind: 'error'; reasonCode: ReasonCode; status: number; message: string | null }
  | { kind: 'simulate'; code: string }
  /** Close the connection without an answer (fault injection). */
  | { kind: 'drop' };

export interface ScenarioMatch {
  operation: string;
  checkoutSessionId?: string;
  merchantReferenceId?: string;
  amount?: string;
  currency?: string;
  publicKeyId?: string;
  header?: { name: string; value: string };
}

/** A scripted-outcome rule: when a call matches, answer with the outcome (after an optional delay), `times` times. */
export interface ScenarioRule {
  name: string;
  description: string | null;
  match: ScenarioMatch;
  outcome: ScriptedOutcome;
  delayMs: number;
  /** How many more calls this rule applies to; null means every call. */
  times: number | null;
}


/** Operations on which pending/cancel outcomes make sense. */
const completionOperations = new Set(['completeCheckoutSession', 'finalizeCheckoutSession']);

const ruleSchema = obj(
  {
    name: str(200),
    description: str(2000),
    match: obj(
      {
        operation: oneOf('*', ...operationNames),
        checkoutSessionId: str(),
        merchantReferenceId: str(),
        amount: { type: 'amountOrNumberString' },
        currency: { type: 'string', pattern: /^[A-Z]{3}$/ },
        publicKeyId: str(),
        header: obj({ name: str(), value: str() }, ['name', 'value']),
      },
      ['operation'],
    ),
    outcome: obj(
      {
        kind: oneOf('normal', 'pending', 'cancel', 'error', 'simulate', 'drop'),
        code: str(),
        settleTo: oneOf('Authorized', 'Declined'),
        reasonCode: str(),
        status: { type: 'wholeNumber', max: 599 },
        message: str(2000),
      },
      ['kind'],
    ),
    delayMs: { type: 'wholeNumber', max: 60_000 },
    times: { type: 'wholeNumber', max: 1_000_000 },
  },
  ['name', 'match', 'outcome'],
);

type CancelReason = Extract<ScriptedOutcome, { kind: 'cancel' }>['reasonCode'];
const cancelReasons: readonly CancelReason[] = ['BuyerCanceled', 'Declined', 'AmazonCanceled', 'Expired'];
const isCancelReason = (code: string | null | undefined): code is CancelReason => cancelReasons.some((reason) => reason === code);

/** Validates one rule as written in a scenario file or posted to the control API. */
export function parseRule(raw: unknown, where: string): ScenarioRule {
  const r = validate(raw, ruleSchema, where);
  if (r === null) throw apiError('MissingParameterValue', `${where}: a rule object is required.`);
  const o = r.outcome;
  const op = r.match.operation;
  let outcome: ScriptedOutcome;
  if (o.kind === 'error') {
    if (!o.reasonCode || !isReasonCode(o.reasonCode)) {
      throw apiError('InvalidParameterValue', `${where}.outcome.reasonCode must be one of the catalog's reason codes (see README), got '${o.reasonCode}'.`);
    }
    const status = wholeNumberOf(o.status) ?? reasonCodes[o.reasonCode].status;
    if (status < 400) throw apiError('InvalidParameterValue', `${where}.outcome.status must be 400 or more for an error outcome.`);
    outcome = { kind: 'error', reasonCode: o.reasonCode, status, message: o.message ?? null };
  } else if (o.kind === 'simulate') {
    const accepted = op === '*' ? Object.values(simulationCodes).flatMap((c) => Object.keys(c ?? {})) : Object.keys(simulationCodes[op] ?? {});
    if (typeof o.code !== 'string' || !accepted.includes(o.code)) {
      throw apiError('InvalidParameterValue', `${where}.outcome.code must be a simulation code of ${op === '*' ? 'some operation' : op}${accepted.length ? ` (${[...new Set(accepted)].join(', ')})` : ', which accepts none'}.`);
    }
    outcome = { kind: 'simulate', code: o.code };
  } else if (o.kind === 'pending' || o.kind === 'cancel') {
    // A wildcard would also catch GETs and use up the rule's count there.
    if (!completionOperations.has(op)) {
      throw apiError('InvalidParameterValue', `${where}.outcome.kind '${o.kind}' applies to completeCheckoutSession or finalizeCheckoutSession only, not ${op}.`);
    }
    if (o.kind === 'pending') {
      const settleTo = o.settleTo ?? 'Authorized';
      outcome = { kind: 'pending', settleTo, reasonCode: o.reasonCode ?? (settleTo === 'Declined' ? 'HardDeclined' : null) };
    } else {
      if (!isCancelReason(o.reasonCode)) throw apiError('InvalidParameterValue', `${where}.outcome.reasonCode for a cancel outcome must be one of ${cancelReasons.join(', ')}.`);
      outcome = { kind: 'cancel', reasonCode: o.reasonCode };
    }
  } else if (o.kind === 'drop') {
    outcome = { kind: 'drop' };
  } else {
    outcome = { kind: 'normal' };
  }
  const match: ScenarioMatch = { operation: op };
  for (const key of ['checkoutSessionId', 'merchantReferenceId', 'currency', 'publicKeyId'] as const) {
    const value = r.match[key];
    if (value != null) match[key] = value;
  }
  if (r.match.amount != null) match.amount = String(r.match.amount);
  if (r.match.header) match.header = { name: r.match.header.name.toLowerCase(), value: r.match.header.value };
  return {
    name: r.name,
    description: r.description ?? null,
    match,
    outcome,
    delayMs: wholeNumberOf(r.delayMs) ?? 0,
    times: wholeNumberOf(r.times),
  };
}

/** Reads a scenario document: one rule, an array of rules, or `{ "rules": [...] }`. */
export function parseScenarioDocument(doc: unknown, source: string): ScenarioRule[] {
  let list: unknown[] = Array.isArray(doc) ? doc : [doc];
  if (isJsonObject(doc) && Object.hasOwn(doc, 'rules')) {
    const extra = Object.keys(doc).find((k) => k !== 'rules');
    if (extra !== undefined) throw apiError('UnrecognizedField', `The field '${source}.${extra}' is invalid: a document with "rules" holds nothing else.`);
    if (!Array.isArray(doc.rules)) throw apiError('InvalidParameterValue', `'${source}.rules' must be an array of rules.`);
    list = doc.rules;
  }
  return list.map((raw, i) => parseRule(raw, `${source}[${i}]`));
}

const sameAmount = (a: string, b: string) => Number(a) === Number(b);

/** True when every condition of the rule holds for the call. */
export function ruleMatches(rule: ScenarioRule, facts: CallFacts): boolean {
  const m = rule.match;
  if (rule.times === 0) return false;
  if (m.operation !== '*' && m.operation !== facts.operation) return false;
  // A wildcard simulate rule is for the operations that know its code; any other call passes it by.
  if (rule.outcome.kind === 'simulate' && !simulationCodes[facts.operation]?.[rule.outcome.code]) return false;
  if (m.checkoutSessionId !== undefined && m.checkoutSessionId !== facts.checkoutSessionId) return false;
  if (m.merchantReferenceId !== undefined && m.merchantReferenceId !== facts.merchantReferenceId) return false;
  if (m.amount !== undefined && (facts.amount === null || !sameAmount(m.amount, facts.amount))) return false;
  if (m.currency !== undefined && m.currency !== facts.currency) return false;
  if (m.publicKeyId !== undefined && m.publicKeyId !== facts.publicKeyId) return false;
  if (m.header !== undefined) {
    const value = facts.headers[m.header.name];
    if ((Array.isArray(value) ? value.join(',') : value) !== m.header.value) return false;
  }
  return true;
}
