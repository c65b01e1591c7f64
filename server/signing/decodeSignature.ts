const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes a signature strictly (standard alphabet, padding optional) and checks it is exactly as
 * long as the modulus; null otherwise. Both verifiers use it so they reject the same garbage the
 * same way, instead of relying on Buffer's lenient decoder or on forge's exceptions.
 */
export function decodeSignature(signatureBase64: string, modulusBytes: number): Buffer | null {
  if (typeof signatureBase64 !== 'string' || !BASE64.test(signatureBase64) || signatureBase64.length % 4 === 1) return null;
  const bytes = Buffer.from(signatureBase64, 'base64');
  return bytes.length === modulusBytes ? bytes : null;
}
