import { AmazonPayError } from '../domain/errors.js';
import type { Override } from '../domain/override.js';
import type { ScenarioBook } from './book.js';
import type { CallFacts } from './facts.js';
import { simulationCodes } from './simulations.js';

/** What the scripted rules make of one call; the pipeline carries it out. */
export interface ScriptedEffect {
  /** Every rule that applied, in order (for the journal and the log). */
  names: string[];
  /** Added latency, summed over the rules that applied. */
  delayMs: number;
  /** The rule that decided the outcome, or null when only latency rules applied. */
  decidedBy: string | null;
  /** An outcome forced on the operation instead of its normal success, or null. */
  override: Override | null;
  /** An error answered instead of running the operation, or null. */
  error: AmazonPayError | null;
  /** Close the connection without an answer. */
  drop: boolean;
}

/**
 * Takes the rules matching this call from the book (using up their counts) and turns the outcome
 * into one effect: delay, override, error or drop. Null when no rule matched.
 */
export async function applyScenarios(book: ScenarioBook, facts: CallFacts, merchant: string): Promise<ScriptedEffect | null> {
  const taken = await book.take(facts, merchant);
  if (!taken) return null;
  const effect: ScriptedEffect = { names: taken.names, delayMs: taken.delayMs, decidedBy: taken.rule?.name ?? null, override: null, error: null, drop: false };
  const rule = taken.rule;
  if (!rule) return effect;
  const o = rule.outcome;
  if (o.kind === 'error') effect.error = new AmazonPayError(o.reasonCode, { message: o.message ?? undefined, diagnostics: { scenario: rule.name }, status: o.status });
  else if (o.kind === 'pending' || o.kind === 'cancel') effect.override = o;
  else if (o.kind === 'simulate') effect.override = simulationCodes[facts.operation]?.[o.code] ?? null;
  else if (o.kind === 'drop') effect.drop = true;
  return effect;
}
