/** A small deterministic PRNG (a linear congruential generator) for model tests, so a failure reproduces from its seed. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}
