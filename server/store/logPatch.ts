/**
 * A new version of a record written to the log as what changed since the version before it,
 * instead of the whole value. Records are updated by building a new version that shares every
 * unchanged (frozen) part with the previous one, so the change is found by comparing references:
 * completing a checkout session changes four of its 37 fields, and its log entry shrinks from
 * about 2.4 KB to about 0.3 KB.
 *
 * A patch is a list of steps, each `[key, value]` (the field gets this value) or
 * `[key, patch, 1]` (the field, an object, gets this patch). It is made only where the two
 * versions have the same keys in the same order, so a replayed version serializes exactly like the
 * live one; anything else is logged whole.
 *
 * Replaying a patch onto a later version than the one it was made against (a snapshot taken while
 * commits went on holds some later version) is harmless: every field the patch sets that changed
 * again afterwards is set again by the later entry, which the log replays after it.
 */
export type PatchStep = [key: string, value: unknown] | [key: string, patch: Patch, nested: 1];
export type Patch = PatchStep[];

const NESTED = 1;

type Fields = Record<string, unknown>;

function isPlainObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The patch taking `previous` to `next`, or null when logging `next` whole is the right thing: the
 * keys differ (added, removed or reordered), most fields changed, or a changed field is
 * `undefined` before or after (JSON drops it from an object: the logged version lacks it, and a
 * step would write it as null or add it last). Fields that are objects with the same keys on both
 * sides get a patch of their own.
 */
export function patchOf(previous: unknown, next: unknown): Patch | null {
  if (!isPlainObject(previous) || !isPlainObject(next)) return null;
  const keys = Object.keys(next);
  const previousKeys = Object.keys(previous);
  if (keys.length !== previousKeys.length) return null;
  const patch: Patch = [];
  let replaced = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key !== previousKeys[i]) return null;
    const value = next[key];
    const before = previous[key];
    if (value === before) continue;
    // A field undefined on either side: JSON drops it, so the version on disk lacks the field and
    // a step would add it last (out of order), or write it as null.
    if (value === undefined || before === undefined) return null;
    const nested = isPlainObject(value) && isPlainObject(before) ? patchOf(before, value) : null;
    if (nested !== null) {
      patch.push([key, nested, NESTED]);
      continue;
    }
    // Most fields replaced: the whole value is about as short, and plainer to read in the log.
    if (++replaced * 2 > keys.length) return null;
    patch.push([key, value]);
  }
  return patch;
}

/**
 * `base` with `patch` applied, as a new object with the fields in `base`'s order (a field the base
 * lacks goes last). `base` is not changed; the fields not patched are shared with it.
 */
export function applyPatch(base: unknown, patch: Patch): Fields {
  const from: Fields = isPlainObject(base) ? base : {};
  const steps = new Map<string, PatchStep>();
  for (const step of patch) steps.set(step[0], step);
  const out: Fields = {};
  for (const key in from) {
    const step = steps.get(key);
    setField(out, key, step === undefined ? from[key] : valueOf(step, from[key]));
    steps.delete(key);
  }
  for (const [key, step] of steps) setField(out, key, valueOf(step, undefined));
  return out;
}

function valueOf(step: PatchStep, before: unknown): unknown {
  return step.length === 3 ? applyPatch(before, step[1]) : step[1];
}

function setField(object: Fields, key: string, value: unknown): void {
  // Assigning '__proto__' would set the prototype instead of a field named so.
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

/** Checks a patch read from the log; throws a TypeError naming what is wrong. */
export function checkPatch(value: unknown, depth = 0): asserts value is Patch {
  if (!Array.isArray(value)) throw new TypeError('patch is not an array');
  if (depth > 64) throw new TypeError('patch is nested too deep');
  for (const step of value as unknown[]) {
    if (!Array.isArray(step) || typeof step[0] !== 'string' || (step.length !== 2 && step.length !== 3)) throw new TypeError('a patch step is not [key, value] or [key, patch, 1]');
    if (step.length === 3) {
      if (step[2] !== NESTED) throw new TypeError('a nested patch step does not end in 1');
      checkPatch(step[1], depth + 1);
    }
  }
}
