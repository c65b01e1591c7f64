import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Yaml from 'yaml';
import { AmazonPayError } from '../domain/errors.js';
import type { CallFacts } from './facts.js';
import { parseScenarioDocument, ruleMatches, type ScenarioRule } from './rules.js';

/** The YAML parser, loaded only when a YAML scenario file is read (a start without one never needs it). */
function parseYaml(text: string): unknown {
  return (createRequire(import.meta.url)('yaml') as typeof Yaml).parse(text);
}

/** A rule in force, where it came from, and which merchant it is for (null: everyone). */
export interface ActiveRule extends ScenarioRule {
  source: string;
  merchant: string | null;
}

/**
 * The scripted outcomes in force: rules read from the scenarios directory at start (for every
 * merchant) plus rules added through the control API. Rules are tried in order: control-API rules
 * first (newest first), then file rules. Kept in memory; reset restores the file rules.
 */
export class ScenarioBook {
  private fileRules: ActiveRule[] = [];
  private addedRules: ActiveRule[] = [];

  constructor(private readonly dir: string | null) {}

  /** (Re)reads every *.json / *.yaml / *.yml in the directory; returns one note per file. */
  loadFiles(): string[] {
    this.fileRules = [];
    if (!this.dir) return [];
    let names: string[];
    try {
      // *.schema.json describes the format; it is not a rule file.
      names = readdirSync(this.dir).filter((n) => /\.(json|ya?ml)$/i.test(n) && !/\.schema\.json$/i.test(n)).sort();
    } catch {
      return [`scenarios directory ${this.dir} not found; no file rules loaded`];
    }
    const notes: string[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        const text = readFileSync(file, 'utf8');
        const doc = /\.json$/i.test(name) ? JSON.parse(text) : parseYaml(text);
        const rules = parseScenarioDocument(doc, name).map((r) => ({ ...fresh(r), source: name, merchant: null }));
        this.fileRules.push(...rules);
        notes.push(`scenario file ${name}: ${rules.length} rule(s)`);
      } catch (err) {
        const why = err instanceof AmazonPayError ? err.message : (err as Error).message;
        notes.push(`scenario file ${name} skipped: ${why}`);
      }
    }
    return notes;
  }

  /** Adds rules for one merchant (or all when merchant is null), ahead of existing ones. */
  add(rules: ScenarioRule[], merchant: string | null, source = 'control-api'): ActiveRule[] {
    const active = rules.map((r) => ({ ...r, source, merchant }));
    this.addedRules.unshift(...active.slice().reverse());
    return active;
  }

  list(merchant?: string | null): ActiveRule[] {
    return [...this.addedRules, ...this.fileRules].filter((r) => merchant === undefined || r.merchant === null || r.merchant === merchant);
  }

  /** Drops the control-API rules of one source (e.g. 'faults'), for one merchant or all. */
  removeSource(source: string, merchant?: string): number {
    const before = this.addedRules.length;
    this.addedRules = this.addedRules.filter((r) => r.source !== source || (merchant !== undefined && r.merchant !== merchant));
    return before - this.addedRules.length;
  }

  /** Drops control-API rules (of one merchant, or all) and restores file rules' counters. */
  reset(merchant?: string): void {
    this.addedRules = merchant === undefined ? [] : this.addedRules.filter((r) => r.merchant !== merchant);
    if (merchant === undefined) this.loadFiles();
  }

  /**
   * What the rules make of a call. Rules whose outcome is `normal` only add their delay (latency
   * faults) and let the search go on; the first matching rule with another outcome decides it.
   * Every rule that applied has its remaining count taken down by one.
   */
  take(facts: CallFacts, merchant: string): { rule: ActiveRule | null; delayMs: number; names: string[] } | null {
    let delayMs = 0;
    const names: string[] = [];
    for (const rule of [...this.addedRules, ...this.fileRules]) {
      if (rule.merchant !== null && rule.merchant !== merchant) continue;
      if (!ruleMatches(rule, facts)) continue;
      if (rule.times !== null) rule.times -= 1;
      delayMs += rule.delayMs;
      names.push(rule.name);
      if (rule.outcome.kind !== 'normal') return { rule, delayMs, names };
    }
    return names.length ? { rule: null, delayMs, names } : null;
  }
}

const fresh = (r: ScenarioRule): ScenarioRule => ({ ...r, match: { ...r.match }, outcome: { ...r.outcome } });
