import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Yaml from 'yaml';
import { AmazonPayError } from '../domain/errors.js';
import type { CallFacts } from './facts.js';
import { parseScenarioDocument, ruleMatches, type ScenarioRule } from './rules.js';
import { SERVER_NAMESPACE } from '../store/serverState.js';
import type { Store } from '../store/store.js';
import { info, warn, type StartupNote } from '../startupNote.js';

/** The YAML parser, loaded only when a YAML scenario file is read (a start without one never needs it). */
function parseYaml(text: string): unknown {
  return (createRequire(import.meta.url)('yaml') as typeof Yaml).parse(text);
}

/** A rule in force, where it came from, and which merchant it is for (null: everyone). */
export interface ActiveRule extends ScenarioRule {
  source: string;
  merchant: string | null;
}

/** What a change to the control-API rules returns: the new list (null: unchanged) and the caller's result. */
type RulesChange<R> = (rules: readonly ActiveRule[]) => { rules: readonly ActiveRule[] | null; result: R };

/** Where the rules added through the control API live: this process's memory, or a store shared by several processes. */
interface AddedRules {
  /** Applies `change` to the current rules as one step (on a shared store, one transaction: `change` may run more than once). */
  update<R>(change: RulesChange<R>): Promise<R>;
  /** The rules as they are now (one read; no step is taken). */
  current(): Promise<readonly ActiveRule[]>;
}

function rulesInMemory(): AddedRules {
  let rules: readonly ActiveRule[] = [];
  return {
    async update(change) {
      const next = change(rules);
      if (next.rules) rules = next.rules;
      return next.result;
    },
    async current() {
      return rules;
    },
  };
}

/** The record under the server namespace that holds the control-API rules on a shared store. */
const RULES_ID = 'scenarioRules';

/** Control-API rules kept in the store, so every process sharing it applies (and uses up) the same rules. */
export function rulesInStore(store: Store): AddedRules {
  return {
    update(change) {
      return store.transact(SERVER_NAMESPACE, (view) => {
        const next = change(view.get<ActiveRule[]>('settings', RULES_ID) ?? []);
        return { puts: next.rules ? [{ collection: 'settings', id: RULES_ID, value: next.rules }] : [], result: next.result };
      });
    },
    async current() {
      return (await store.read<ActiveRule[]>(SERVER_NAMESPACE, 'settings', RULES_ID)) ?? [];
    },
  };
}

/** What the rules made of one call: the deciding rule (null when only latency rules applied), the summed delay, every rule that applied. */
export interface TakenRules {
  rule: ActiveRule | null;
  delayMs: number;
  names: string[];
}

/**
 * The scripted outcomes in force: rules read from the scenarios directory at start (for every
 * merchant) plus rules added through the control API. Rules are tried in order: control-API rules
 * first (newest first), then file rules. Control-API rules live in memory, or with `rulesInStore`
 * in a store shared by several processes; file rules are each process's own. Reset restores the
 * file rules.
 */
export class ScenarioBook {
  private fileRules: ActiveRule[] = [];
  readonly #added: AddedRules;

  constructor(
    private readonly dir: string | null,
    added: AddedRules = rulesInMemory(),
  ) {
    this.#added = added;
  }

  /** (Re)reads every *.json / *.yaml / *.yml in the directory; returns one note per file. */
  loadFiles(): StartupNote[] {
    this.fileRules = [];
    if (!this.dir) return [];
    let names: string[];
    try {
      // *.schema.json describes the format; it is not a rule file.
      names = readdirSync(this.dir).filter((n) => /\.(json|ya?ml)$/i.test(n) && !/\.schema\.json$/i.test(n)).sort();
    } catch {
      return [warn(`scenarios directory ${this.dir} not found; no file rules loaded`)];
    }
    const notes: StartupNote[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        const text = readFileSync(file, 'utf8');
        const doc = /\.json$/i.test(name) ? JSON.parse(text) : parseYaml(text);
        const rules = parseScenarioDocument(doc, name).map((r) => ({ ...fresh(r), source: name, merchant: null }));
        this.fileRules.push(...rules);
        notes.push(info(`scenario file ${name}: ${rules.length} rule(s)`));
      } catch (err) {
        const why = err instanceof AmazonPayError ? err.message : (err as Error).message;
        notes.push(warn(`scenario file ${name} skipped: ${why}`));
      }
    }
    return notes;
  }

  /** Adds rules for one merchant (or all when merchant is null), ahead of existing ones. */
  add(rules: ScenarioRule[], merchant: string | null, source = 'control-api'): Promise<ActiveRule[]> {
    const active = rules.map((r) => ({ ...r, source, merchant }));
    return this.#added.update((current) => ({ rules: [...active.slice().reverse(), ...current], result: active }));
  }

  list(merchant?: string | null): Promise<ActiveRule[]> {
    return this.#added.update((current) => ({
      rules: null,
      result: [...current, ...this.fileRules].filter((r) => merchant === undefined || r.merchant === null || r.merchant === merchant),
    }));
  }

  /** Drops the control-API rules of one source (e.g. 'faults'), for one merchant or all. */
  removeSource(source: string, merchant?: string): Promise<number> {
    return this.#added.update((current) => {
      const kept = current.filter((r) => r.source !== source || (merchant !== undefined && r.merchant !== merchant));
      return { rules: kept.length === current.length ? null : kept, result: current.length - kept.length };
    });
  }

  /** Drops control-API rules (of one merchant, or all) and restores file rules' counters. */
  async reset(merchant?: string): Promise<void> {
    await this.#added.update((current) => {
      const kept = merchant === undefined ? [] : current.filter((r) => r.merchant !== merchant);
      return { rules: kept.length === current.length ? null : kept, result: undefined };
    });
    if (merchant === undefined) this.loadFiles();
  }

  /**
   * Whether any rule is in force for this merchant (its own or everyone's). When none is, a call
   * need not gather the facts rules match on.
   */
  async anyFor(merchant: string): Promise<boolean> {
    const applies = (rule: ActiveRule) => rule.merchant === null || rule.merchant === merchant;
    return this.fileRules.some(applies) || (await this.#added.current()).some(applies);
  }

  /**
   * What the rules make of a call. Rules whose outcome is `normal` only add their delay (latency
   * faults) and let the search go on; the first matching rule with another outcome decides it.
   * Every rule that applied has its remaining count taken down by one (a control-API rule's in the
   * same step as the decision, so two processes sharing the rules never both use its last count).
   */
  async take(facts: CallFacts, merchant: string): Promise<TakenRules | null> {
    // File rules are this process's own: their counts are taken down at once, inside the step, so
    // a call in flight alongside never sees a count another call already used. A step may run
    // more than once (a shared store's transaction) or fail: each run first gives back what an
    // earlier run took.
    let reserved: ActiveRule[] = [];
    const giveBack = () => {
      for (const rule of reserved) if (rule.times !== null) rule.times += 1;
      reserved = [];
    };
    try {
      return await this.#added.update<TakenRules | null>((current) => {
        giveBack();
        const next = [...current];
        let changed = false;
        let delayMs = 0;
        const names: string[] = [];
        const candidates = [...current.map((rule, index) => ({ rule, index })), ...this.fileRules.map((rule) => ({ rule, index: -1 }))];
        for (const { rule, index } of candidates) {
          if (rule.merchant !== null && rule.merchant !== merchant) continue;
          if (!ruleMatches(rule, facts)) continue;
          if (rule.times !== null && index >= 0) {
            next[index] = { ...rule, times: rule.times - 1 };
            changed = true;
          } else if (rule.times !== null) {
            rule.times -= 1;
            reserved.push(rule);
          }
          delayMs += rule.delayMs;
          names.push(rule.name);
          if (rule.outcome.kind !== 'normal') return { rules: changed ? next : null, result: { rule, delayMs, names } };
        }
        return { rules: changed ? next : null, result: names.length ? { rule: null, delayMs, names } : null };
      });
    } catch (err) {
      giveBack();
      throw err;
    }
  }
}

const fresh = (r: ScenarioRule): ScenarioRule => ({ ...r, match: { ...r.match }, outcome: { ...r.outcome } });
