/**
 * `{ ...base, ...changes }`, for a `base` that may be an object made in this same operation rather
 * than a stored (frozen) one. Written with Object.assign because on Node 20 (V8 11.3) an object
 * spread from one that is not frozen and given further properties outlives young-generation
 * collections: a 20-line reproduction promoted 2.3-2.7 MB per scavenge, and in the server every
 * such object reached the old generation (README, "Benchmark"). Spreading a stored record, which
 * is frozen, does not do that, and most domain code does only that.
 */
export function withChanges<T extends object>(base: T, changes: Partial<T>): T {
  return Object.assign({}, base, changes);
}
