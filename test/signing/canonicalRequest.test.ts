import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bodyHashOf,
  buildCanonicalRequest,
  canonicalHeaders,
  canonicalQuery,
  sha256Hex,
  SIGNING_ALGORITHMS,
  stringToSign,
  type CanonicalRequestInput,
} from '../../server/signing/index.js';
import { javaVectorHeaders, javaVectors, javaVectorSignedHeaders } from './javaVectors.js';

const EMPTY_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const rfc = { query: 'rfc3986', headerValues: 'trim' } as const;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

// Two wire forms per vector: the pairs percent-encoded (as JS would) in reverse order, to prove the
// server sorts; and the Java SDK's own habit of sending names and values unencoded where that is
// unambiguous.
function wireQueries(params: [string, string][]): string[] {
  const encoded = [...params].reverse().map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const forms = [encoded];
  if (params.every(([k, v]) => !/[&=#%+ ]/.test(k + v))) forms.push(params.map(([k, v]) => `${k}=${v}`).join('&'));
  return forms;
}

describe('canonical request: the Java SDK test vectors (17 cases x 2 algorithms)', () => {
  const cases = javaVectors.flatMap((v) => SIGNING_ALGORITHMS.map((algorithm) => ({ ...v, algorithm })));
  it('has all 34', () => expect(cases).toHaveLength(34));

  it.each(cases)('$name with $algorithm gives the expected string to sign', (v) => {
    const expectedCanonical = [
      v.method,
      v.path,
      v.canonicalQuery,
      'accept:application/json\ncontent-type:application/json\nx-amz-pay-date:20180524T223710Z\nx-amz-pay-host:pay-api.amazon.eu\nx-amz-pay-region:EU\n',
      javaVectorSignedHeaders,
      EMPTY_HASH,
    ].join('\n');
    expect(sha256(expectedCanonical)).toBe(v.stsHash);
    expect(v.stsHash.startsWith(v.docPrefix)).toBe(true);

    for (const query of wireQueries(v.params)) {
      const input: CanonicalRequestInput = {
        method: v.method,
        path: v.path,
        query,
        headers: javaVectorHeaders,
        signedHeaderNames: javaVectorSignedHeaders.split(';'),
        signedHeaders: javaVectorSignedHeaders,
        body: Buffer.alloc(0),
      };
      const canonical = buildCanonicalRequest(input, rfc);
      expect(canonical, `wire query ${query}`).toBe(expectedCanonical);
      expect(stringToSign(v.algorithm, canonical)).toBe(`${v.algorithm}\n${v.stsHash}`);
    }
  });
});

describe('canonical request: an example of our own (expected hashes computed once)', () => {
  const body = '{"webCheckoutDetails":{"checkoutReviewReturnUrl":"https://example.com/review"},"storeId":"amzn1.application-oa2-client.0123456789abcdef"}';
  const signedHeaders = 'accept;content-type;x-amz-pay-date;x-amz-pay-host;x-amz-pay-idempotency-key;x-amz-pay-region';
  const input: CanonicalRequestInput = {
    method: 'POST',
    path: '/sandbox/v2/checkoutSessions',
    query: '',
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      'x-amz-pay-date': '20240101T000000Z',
      'x-amz-pay-host': 'pay-api.amazon.com',
      'x-amz-pay-idempotency-key': 'abcdef0123456789',
      'x-amz-pay-region': 'na',
    },
    signedHeaderNames: signedHeaders.split(';'),
    signedHeaders,
    body: Buffer.from(body),
  };

  it('hashes the body and the canonical request as documented', () => {
    const canonical = buildCanonicalRequest(input, rfc);
    expect(canonical.split('\n').at(-1)).toBe('02f9900b5abe5767395a95ea1a02f4035f77b764ee766712487e8264bf92f7bd');
    expect(sha256(canonical)).toBe('c816195674fb8f20558493519c1296234a03b93fa4b8ba95078b4d28538e7a15');
    expect(stringToSign('AMZN-PAY-RSASSA-PSS-V2', canonical)).toBe('AMZN-PAY-RSASSA-PSS-V2\nc816195674fb8f20558493519c1296234a03b93fa4b8ba95078b4d28538e7a15');
  });

  it('lower-cases mixed-case SignedHeaders names in the header lines but keeps the SignedHeaders line verbatim', () => {
    const mixed = 'accept;content-type;x-amz-pay-date;x-amz-pay-host;X-Amz-Pay-Idempotency-Key;x-amz-pay-region';
    const canonical = buildCanonicalRequest({ ...input, signedHeaderNames: mixed.split(';'), signedHeaders: mixed }, rfc);
    expect(canonical).toContain('\nx-amz-pay-idempotency-key:abcdef0123456789\n');
    expect(canonical).toContain(`\n\n${mixed}\n`);
  });

  it('upper-cases the method', () => {
    expect(buildCanonicalRequest({ ...input, method: 'post' }, rfc).startsWith('POST\n')).toBe(true);
  });

  it('takes the path exactly as sent: no re-encoding, no slash folding, trailing slash kept', () => {
    for (const path of ['/v2/checkoutSessions/', '/v2//charges', '/v2/a%2fb', '/v2/%E1%88%B4']) {
      expect(buildCanonicalRequest({ ...input, path }, rfc).split('\n')[1]).toBe(path);
    }
  });

  it('hashes the raw body bytes, not a decoded string', () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x7b]);
    expect(buildCanonicalRequest({ ...input, body: bytes }, rfc).split('\n').at(-1)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});

describe('canonicalQuery', () => {
  it('is empty for an empty query', () => {
    expect(canonicalQuery('', 'rfc3986')).toBe('');
    expect(canonicalQuery('', 'raw')).toBe('');
  });

  it('rfc3986: re-encodes what Node leaves unescaped and uppercases hex', () => {
    expect(canonicalQuery("q=it's%20(a)*!", 'rfc3986')).toBe('q=it%27s%20%28a%29%2A%21');
    expect(canonicalQuery('q=%e1%88%b4', 'rfc3986')).toBe('q=%E1%88%B4');
  });

  it('rfc3986: decodes unreserved escapes (PHP %7E vs ~) and encodes raw non-ASCII as UTF-8', () => {
    expect(canonicalQuery('a=%7E%41', 'rfc3986')).toBe('a=~A');
    expect(canonicalQuery('\u1234=bar', 'rfc3986')).toBe('%E1%88%B4=bar');
  });

  it("rfc3986: a '+' is a literal plus, not a space", () => {
    expect(canonicalQuery('a=b+c', 'rfc3986')).toBe('a=b%2Bc');
  });

  it('rfc3986: sorts by the encoded name, then value (Java TreeMap order)', () => {
    expect(canonicalQuery('b=2&a=2&a=1&A=3', 'rfc3986')).toBe('A=3&a=1&a=2&b=2');
    // '.' sorts after '/', but the encoded '%2F' sorts before '.'
    expect(canonicalQuery('a.=1&a%2F=2', 'rfc3986')).toBe('a%2F=2&a.=1');
  });

  it('rfc3986: never throws on malformed escapes; a lone % is a literal %', () => {
    expect(canonicalQuery('a=%&b=%zz&c=%4', 'rfc3986')).toBe('a=%25&b=%25zz&c=%254');
    expect(canonicalQuery('a=%FF%FE', 'rfc3986')).toBe('a=%FF%FE');
  });

  it("rfc3986: a pair without '=' gets an empty value; empty pairs are dropped", () => {
    expect(canonicalQuery('flag&&b=1&', 'rfc3986')).toBe('b=1&flag=');
  });

  it('raw: keeps each pair as sent and only sorts (Node, Ruby)', () => {
    expect(canonicalQuery("q=it's%20(a)*!&a=x+y", 'raw')).toBe("a=x+y&q=it's%20(a)*!");
  });

  it("node: re-encodes like encodeURIComponent, recovering what the Node SDK signed from axios' %27", () => {
    expect(canonicalQuery("filter=it%27s%20(a)*!&pageSize=10", 'node')).toBe("filter=it's%20(a)*!&pageSize=10");
    expect(canonicalQuery("filter=it's%20%28a%29%2A%21", 'node')).toBe("filter=it's%20(a)*!");
    expect(canonicalQuery('a=~%7e', 'node')).toBe('a=~~');
  });

  it('raw: sorts by name then value, not by the whole pair text', () => {
    // As whole strings 'a-b=1' < 'a=1' ('-' < '='); by name 'a' < 'a-b'.
    expect(canonicalQuery('a-b=1&a=2&a=1', 'raw')).toBe('a=1&a=2&a-b=1');
  });
});

describe('canonicalHeaders', () => {
  const headers = { 'x-a': '  padded  ', 'x-b': 'one \t two   three', 'x-c': ['v1', 'v2'] };

  it('trims values in trim mode and keeps inner whitespace', () => {
    expect(canonicalHeaders(headers, ['X-A', 'x-b'], 'trim')).toBe('x-a:padded\nx-b:one \t two   three\n');
  });

  it('collapses inner whitespace runs to one space in collapse mode', () => {
    expect(canonicalHeaders(headers, ['x-b'], 'collapse')).toBe('x-b:one two three\n');
  });

  it('gives a signed header that did not arrive an empty value', () => {
    expect(canonicalHeaders(headers, ['x-missing', 'x-a'], 'trim')).toBe('x-missing:\nx-a:padded\n');
  });

  it('joins repeated values with a comma', () => {
    expect(canonicalHeaders(headers, ['x-c'], 'trim')).toBe('x-c:v1,v2\n');
  });

  it('follows the SignedHeaders order, not the order headers arrived in', () => {
    expect(canonicalHeaders({ b: '2', a: '1' }, ['b', 'a'], 'trim')).toBe('b:2\na:1\n');
  });
});

describe('bodyHashOf', () => {
  it('gives the SHA-256 of an empty body without hashing it again, and hashes any other body', () => {
    expect(bodyHashOf(Buffer.alloc(0))).toBe(EMPTY_HASH);
    expect(bodyHashOf(Buffer.from('{"a":1}'))).toBe(sha256Hex('{"a":1}'));
  });
});
