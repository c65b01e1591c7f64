/** The two signature algorithms Amazon Pay accepts, as they appear in the header and string to sign. */
export const SIGNING_ALGORITHMS = ['AMZN-PAY-RSASSA-PSS', 'AMZN-PAY-RSASSA-PSS-V2'] as const;

export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** PSS salt length in bytes; the two algorithms differ only in this (SHA-256 and MGF1-SHA-256 for both). */
export type SaltLength = 20 | 32;

/** Salt length an algorithm signs with: 20 for the original, 32 for V2. */
export function saltLengthOf(algorithm: SigningAlgorithm): SaltLength {
  return algorithm === 'AMZN-PAY-RSASSA-PSS-V2' ? 32 : 20;
}

/** True when `name` is one of the accepted algorithm names (exact, case-sensitive like the SDKs). */
export function isSigningAlgorithm(name: string): name is SigningAlgorithm {
  return (SIGNING_ALGORITHMS as readonly string[]).includes(name);
}
