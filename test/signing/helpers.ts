import { constants, createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { expect } from 'vitest';
import type { SigningAlgorithm, SignatureVerifier, SignedRequestInput } from '../../server/signing/index.js';
import { forgeVerifier, KeyRegistry, nativeVerifier } from '../../server/signing/index.js';

export const fixturesDir = new URL('../../fixtures/keys/', import.meta.url).pathname;
export const DEMO_PRIVATE_KEY = readFileSync(`${fixturesDir}demo-private.pem`, 'utf8');
export const DEMO_PUBLIC_KEY = readFileSync(`${fixturesDir}SANDBOX-AMZNPAYMOCKDEMO000000001.pem`, 'utf8');
export const DEMO_ID = 'SANDBOX-AMZNPAYMOCKDEMO000000001';

// A second, unrelated key: "signed by someone else".
const other = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
export const OTHER_PRIVATE_KEY = other.privateKey;
export const OTHER_PUBLIC_KEY = other.publicKey;
export const OTHER_ID = 'SANDBOX-OTHERMERCHANT00000001';

/** Both verifiers, for describe.each: every signature test runs against each. */
export const verifiers: [string, SignatureVerifier][] = [
  ['native', nativeVerifier],
  ['forge', forgeVerifier],
];

export type Signer = 'node' | 'forge';
export const signers: Signer[] = ['node', 'forge'];

/** RSASSA-PSS-SHA256 signature of `message`, made by node:crypto or by node-forge. */
export function pssSign(signer: Signer, privateKeyPem: string, message: string, saltLength: number): string {
  if (signer === 'node') {
    return sign('sha256', Buffer.from(message, 'utf8'), { key: privateKeyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }).toString('base64');
  }
  const key = forge.pki.privateKeyFromPem(privateKeyPem);
  const md = forge.md.sha256.create().update(message, 'utf8');
  const pss = forge.pss.create({ md: forge.md.sha256.create(), mgf: forge.mgf.mgf1.create(forge.md.sha256.create()), saltLength });
  return forge.util.encode64(key.sign(md, pss));
}

/** A registry with the three demo ids and the "other" key. */
export function demoRegistry(): KeyRegistry {
  const keys = new KeyRegistry();
  const result = keys.loadDir(fixturesDir);
  expect(result.errors).toEqual([]);
  keys.add(OTHER_ID, OTHER_PUBLIC_KEY);
  return keys;
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export interface ClientRequest {
  method: string;
  path: string;
  /** The query as it goes on the wire. */
  wireQuery?: string;
  /** The query as the client put it into its canonical request; defaults to wireQuery. */
  signedQuery?: string;
  /** Headers as they go on the wire (any casing). */
  headers: Record<string, string>;
  /** Header values as the client canonicalised them, by lower-case name; defaults to the wire value. */
  signedValues?: Record<string, string>;
  /** SignedHeaders as the client writes it; defaults to every header name as given, sorted case-insensitively. */
  signedHeaders?: string;
  body?: string | Buffer;
  algorithm?: SigningAlgorithm;
  publicKeyId?: string;
  privateKey?: string;
  signer?: Signer;
  /** Salt to sign with when it should differ from the algorithm's. */
  saltLength?: number;
}

/**
 * Signs like an SDK would, written independently of server/signing so the canonicalisation is
 * checked against a second implementation, and returns what the server receives.
 */
export function clientSign(req: ClientRequest): SignedRequestInput & { canonicalRequest: string; stringToSign: string; signature: string } {
  const algorithm = req.algorithm ?? 'AMZN-PAY-RSASSA-PSS';
  const names = req.signedHeaders?.split(';') ?? Object.keys(req.headers).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
  const signedHeaders = req.signedHeaders ?? names.join(';');
  const wire = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const lines = names.map((n) => `${n.toLowerCase()}:${req.signedValues?.[n.toLowerCase()] ?? wire[n.toLowerCase()] ?? ''}\n`).join('');
  const body = Buffer.from(req.body ?? '');
  const canonicalRequest = `${req.method}\n${req.path}\n${req.signedQuery ?? req.wireQuery ?? ''}\n${lines}\n${signedHeaders}\n${sha256Hex(body)}`;
  const stringToSign = `${algorithm}\n${sha256Hex(canonicalRequest)}`;
  const saltLength = req.saltLength ?? (algorithm === 'AMZN-PAY-RSASSA-PSS-V2' ? 32 : 20);
  const signature = pssSign(req.signer ?? 'node', req.privateKey ?? DEMO_PRIVATE_KEY, stringToSign, saltLength);
  wire['authorization'] = `${algorithm} PublicKeyId=${req.publicKeyId ?? DEMO_ID}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { method: req.method, path: req.path, query: req.wireQuery ?? '', headers: wire, body, canonicalRequest, stringToSign, signature };
}

/** The standard header set of a compact-date SDK (PHP/Java/.NET), at 2024-01-01T00:00:00Z. */
export function standardHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    accept: 'application/json',
    'content-type': 'application/json',
    'x-amz-pay-date': '20240101T000000Z',
    'x-amz-pay-host': 'pay-api.amazon.com',
    'x-amz-pay-region': 'na',
    ...extra,
  };
}

/** Wall time 30 s after the standard date. */
export const WALL_TIME = Date.UTC(2024, 0, 1, 0, 0, 30);

