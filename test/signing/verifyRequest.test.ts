import { randomUUID } from 'node:crypto';
import { getHeapSnapshot } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { AmazonPayError } from '../../server/domain/errors.js';
import { verifyRequest, type SignatureVerifier, type SignedRequestInput } from '../../server/signing/index.js';
import { clientSign, demoRegistry, DEMO_ID, OTHER_PRIVATE_KEY, signers, standardHeaders, verifiers, WALL_TIME, type ClientRequest } from './helpers.js';
import { expectAmazonRejection } from '../helpers/amazonError.js';

const keys = demoRegistry();

/** Wraps a verifier to count RSA operations. */
function counting(verifier: SignatureVerifier) {
  const counter = {
    calls: 0,
    name: verifier.name,
    verify: ((...args: Parameters<SignatureVerifier['verify']>) => {
      counter.calls++;
      return verifier.verify(...args);
    }) as SignatureVerifier['verify'],
  };
  return counter;
}

const BODY = '{"storeId":"amzn1.application-oa2-client.0123456789abcdef","chargeAmount":{"amount":"10.00","currencyCode":"USD"}}';

/** A PHP/Java-style POST: compact date, lower-case names, idempotency key. */
function phpStyle(overrides: Partial<ClientRequest> = {}): ClientRequest {
  return {
    method: 'POST',
    path: '/v2/checkoutSessions',
    headers: standardHeaders({ 'x-amz-pay-idempotency-key': 'c2d6a7d0e1f24b7d8a3b9c4d5e6f7a8b' }),
    body: BODY,
    ...overrides,
  };
}

describe.each(verifiers)('verifyRequest with the %s verifier', (_name, verifier) => {
  const deps = (v: SignatureVerifier = verifier, wallTime = WALL_TIME, skewSeconds = 900) => ({ keys, verifier: v, wallTime: () => wallTime, skewSeconds });
  const verify = (input: SignedRequestInput, d = deps()) => verifyRequest(input, d);

  describe.each(signers)('signed by %s', (signer) => {
    it.each(['AMZN-PAY-RSASSA-PSS', 'AMZN-PAY-RSASSA-PSS-V2'] as const)('accepts %s and reports who signed', async (algorithm) => {
      const req = clientSign(phpStyle({ algorithm, signer }));
      const caller = await verify(req);
      expect(caller).toEqual({
        publicKeyId: DEMO_ID,
        algorithm,
        keyEnvironment: 'sandbox',
        canonicalRequest: req.canonicalRequest,
        stringToSign: req.stringToSign,
        variant: { query: 'rfc3986', headerValues: 'trim' },
      });
    });
  });

  it('costs exactly one RSA verify for a well-formed request (the fast path)', async () => {
    const counter = counting(verifier);
    await verify(clientSign(phpStyle({ wireQuery: 'pageSize=10&createdTimeStart=20240101T000000Z', signedQuery: 'createdTimeStart=20240101T000000Z&pageSize=10' })), deps(counter));
    expect(counter.calls).toBe(1);
  });

  it('rejects a signature made with salt 32 but labelled AMZN-PAY-RSASSA-PSS (salt 20)', async () => {
    await expectAmazonRejection(verify(clientSign(phpStyle({ saltLength: 32 }))), 'InvalidRequestSignature', 403);
  });

  it('rejects a signature made with salt 20 but labelled AMZN-PAY-RSASSA-PSS-V2 (salt 32)', async () => {
    await expectAmazonRejection(verify(clientSign(phpStyle({ algorithm: 'AMZN-PAY-RSASSA-PSS-V2', saltLength: 20 }))), 'InvalidRequestSignature', 403);
  });

  describe('what the signature must cover', () => {
    it('refuses a valid signature over accept alone: the date and host must be signed', async () => {
      const err = await expectAmazonRejection(verify(clientSign(phpStyle({ signedHeaders: 'accept' }))), 'InvalidRequestSignature', 403);
      expect(err.message).toContain('SignedHeaders must include x-amz-pay-date and x-amz-pay-host; x-amz-pay-date and x-amz-pay-host are not signed');
    });

    it.each(['x-amz-pay-date', 'x-amz-pay-host'])('refuses a valid signature that leaves out %s, naming it', async (left) => {
      const names = 'accept;content-type;x-amz-pay-date;x-amz-pay-host;x-amz-pay-region'.split(';').filter((n) => n !== left).join(';');
      const err = await expectAmazonRejection(verify(clientSign(phpStyle({ signedHeaders: names }))), 'InvalidRequestSignature', 403);
      expect(err.message).toContain(`; ${left} is not signed`);
    });

    it('refuses a valid signature over a header that was never sent, naming it', async () => {
      const req = clientSign(phpStyle({ signedHeaders: 'accept;content-type;x-amz-pay-date;x-amz-pay-host;x-amz-pay-region;x-never-sent' }));
      const err = await expectAmazonRejection(verify(req), 'InvalidRequestSignature', 403);
      expect(err.message).toContain("SignedHeaders lists 'x-never-sent', which the request does not carry");
    });

    it.each(['constructor', '__proto__', 'Constructor'])('refuses %s in SignedHeaders as a header not sent, not as whatever every object inherits', async (name) => {
      // Node's headers object has Object.prototype: headers['constructor'] is a function.
      const req = clientSign(phpStyle());
      const listed = `accept;content-type;x-amz-pay-date;x-amz-pay-host;x-amz-pay-region;${name}`;
      const authorization = String(req.headers.authorization).replace(/SignedHeaders=[^,]+/, `SignedHeaders=${listed}`);
      const err = await expectAmazonRejection(verify({ ...req, headers: { ...req.headers, authorization } }), 'InvalidRequestSignature', 403);
      expect(err.message).toContain(`SignedHeaders lists '${name.toLowerCase()}', which the request does not carry`);
    });

    it('accepts the required names in any case (the Node SDK keeps the caller\'s casing)', async () => {
      const req = clientSign(phpStyle({ headers: standardHeaders({}), signedHeaders: 'accept;content-type;X-Amz-Pay-Date;X-Amz-Pay-Host;x-amz-pay-region' }));
      expect((await verify(req)).publicKeyId).toBe(DEMO_ID);
    });
  });

  describe('tampering', () => {
    const base = () => clientSign(phpStyle({ wireQuery: 'a=1&b=2' }));
    const cases: [string, (r: ReturnType<typeof base>) => SignedRequestInput][] = [
      ['the body', (r) => ({ ...r, body: Buffer.from(BODY.replace('10.00', '1000.00')) })],
      ['one body byte appended', (r) => ({ ...r, body: Buffer.concat([r.body, Buffer.from(' ')]) })],
      ['a signed header value', (r) => ({ ...r, headers: { ...r.headers, 'x-amz-pay-idempotency-key': 'another-key' } })],
      ['the path', (r) => ({ ...r, path: '/v2/checkoutSessions/' })],
      ['the method', (r) => ({ ...r, method: 'PUT' })],
      ['the query', (r) => ({ ...r, query: 'a=1&b=3' })],
      ['a query pair added', (r) => ({ ...r, query: 'a=1&b=2&c=3' })],
    ];
    it.each(cases)('rejects a request whose %s changed after signing', async (_what, tamper) => {
      const err = await expectAmazonRejection(verify(tamper(base())), 'InvalidRequestSignature', 403);
      expect(err.message).toMatch(/^Unable to verify signature, signing String \[AMZN-PAY-RSASSA-PSS\n[0-9a-f]{64}\] , signature \[[A-Za-z0-9+/=]+\]$/);
    });

    it('rejects a request whose signed header was removed, naming the header', async () => {
      const req = base();
      const err = await expectAmazonRejection(verify({ ...req, headers: { ...req.headers, 'x-amz-pay-region': undefined } }), 'InvalidRequestSignature', 403);
      expect(err.message).toContain("SignedHeaders lists 'x-amz-pay-region', which the request does not carry");
    });

    it('rejects a request signed by a different key than its PublicKeyId names', async () => {
      await expectAmazonRejection(verify(clientSign(phpStyle({ privateKey: OTHER_PRIVATE_KEY }))), 'InvalidRequestSignature', 403);
    });

    it('explains the failure: the string to sign the server computed, the signature, and diagnostics', async () => {
      const req = base();
      const err = await expectAmazonRejection(verify({ ...req, body: Buffer.from('{}') }), 'InvalidRequestSignature', 403);
      const expectedCanonical = req.canonicalRequest.replace(/[0-9a-f]{64}$/, '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
      expect(err.diagnostics?.canonicalRequest).toBe(expectedCanonical);
      expect(err.message).toBe(`Unable to verify signature, signing String [${err.diagnostics?.stringToSign}] , signature [${req.signature}]`);
    });

    it('tries each distinct variant once before failing (no query, no odd whitespace: one verify)', async () => {
      const counter = counting(verifier);
      const req = clientSign(phpStyle());
      await expectAmazonRejection(verify({ ...req, body: Buffer.from('{}') }, deps(counter)), 'InvalidRequestSignature', 403);
      expect(counter.calls).toBe(1);
      const withQuery = clientSign(phpStyle({ wireQuery: "q=it's", headers: standardHeaders({ 'x-note': 'a  b' }) }));
      const counter2 = counting(verifier);
      await expectAmazonRejection(verify({ ...withQuery, body: Buffer.from('{}') }, deps(counter2)), 'InvalidRequestSignature', 403);
      expect(counter2.calls).toBe(4);
    });
  });

  describe('malformed signatures answer 403, never another error', () => {
    const req = clientSign(phpStyle());
    const withSignature = (signature: string): SignedRequestInput => ({
      ...req,
      headers: { ...req.headers, authorization: req.headers.authorization!.toString().replace(/Signature=\S+$/, `Signature=${signature}`) },
    });
    it.each([
      ['bad base64', '!!!not-base64!!!'],
      ['truncated', req.signature.slice(0, 120)],
      ['empty', ''],
      ['garbage bytes', Buffer.alloc(256, 0xff).toString('base64')],
    ])('%s', async (_what, signature) => {
      let thrown: unknown;
      try {
        await verify(withSignature(signature));
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(AmazonPayError);
      expect((thrown as AmazonPayError).status).toBe(403);
      expect((thrown as AmazonPayError).reasonCode).toBe('InvalidRequestSignature');
    });
  });

  describe('what each SDK sends', () => {
    it('accepts the compact date form (PHP, Java, .NET, Ruby)', async () => {
      expect((await verify(clientSign(phpStyle()))).publicKeyId).toBe(DEMO_ID);
    });

    it('accepts the ISO date form (Node SDK)', async () => {
      expect((await verify(clientSign(phpStyle({ headers: standardHeaders({ 'x-amz-pay-date': '2024-01-01T00:00:00Z' }) })))).publicKeyId).toBe(DEMO_ID);
    });

    it("accepts Java's upper-case region value NA", async () => {
      expect((await verify(clientSign(phpStyle({ headers: standardHeaders({ 'x-amz-pay-region': 'NA' }) })))).publicKeyId).toBe(DEMO_ID);
    });

    it("accepts Java's unencoded, unsorted wire query (signed RFC 3986-encoded and sorted)", async () => {
      const req = clientSign(phpStyle({ method: 'GET', path: '/v2/reports', body: '', wireQuery: 'reportTypes=_GET_FLAT_FILE_OFFAMAZONPAYMENTS_ORDER_REFERENCE_DATA_&createdSince=2024-01-01T00:00:00Z', signedQuery: 'createdSince=2024-01-01T00%3A00%3A00Z&reportTypes=_GET_FLAT_FILE_OFFAMAZONPAYMENTS_ORDER_REFERENCE_DATA_' }));
      expect((await verify(req)).variant).toEqual({ query: 'rfc3986', headerValues: 'trim' });
    });

    it("accepts Node's query with !'()* left unescaped (raw variant)", async () => {
      const wireQuery = "filter=it's%20(a)*!&pageSize=10";
      expect((await verify(clientSign(phpStyle({ method: 'GET', body: '', wireQuery })))).variant).toEqual({ query: 'raw', headerValues: 'trim' });
    });

    it("accepts the Node SDK's query as axios sends it: signed \"it's\", sent \"it%27s\" (node variant)", async () => {
      const req = clientSign(phpStyle({ method: 'GET', body: '', wireQuery: 'filter=it%27s%20(a)*!', signedQuery: "filter=it's%20(a)*!" }));
      expect((await verify(req)).variant).toEqual({ query: 'node', headerValues: 'trim' });
    });

    it("accepts Ruby's '+' for a space in the query (raw variant)", async () => {
      expect((await verify(clientSign(phpStyle({ method: 'GET', body: '', wireQuery: 'note=a+b&x=1' })))).variant.query).toBe('raw');
    });

    it('accepts a .NET signature over a header value with whitespace runs collapsed', async () => {
      const req = clientSign(phpStyle({ headers: standardHeaders({ 'x-amz-pay-simulation-code': 'Soft   Declined' }), signedValues: { 'x-amz-pay-simulation-code': 'Soft Declined' } }));
      expect((await verify(req)).variant).toEqual({ query: 'rfc3986', headerValues: 'collapse' });
    });

    it('accepts a Java signature over a header value with a tab turned into a space', async () => {
      const req = clientSign(phpStyle({ headers: standardHeaders({ 'x-amz-pay-note': 'a\tb' }), signedValues: { 'x-amz-pay-note': 'a b' } }));
      expect((await verify(req)).variant.headerValues).toBe('collapse');
    });

    it('accepts a Java signature that folds each whitespace character on its own: a space and a tab become two spaces', async () => {
      const req = clientSign(phpStyle({ headers: standardHeaders({ 'x-amz-pay-note': 'a \tb' }), signedValues: { 'x-amz-pay-note': 'a  b' } }));
      expect((await verify(req)).variant).toEqual({ query: 'rfc3986', headerValues: 'spaces' });
    });

    it('accepts a header value sent with inner whitespace runs and signed as sent (Node, PHP)', async () => {
      expect((await verify(clientSign(phpStyle({ headers: standardHeaders({ 'x-amz-pay-note': 'a   b' }) })))).variant.headerValues).toBe('trim');
    });

    it('accepts a value padded on the wire but signed trimmed', async () => {
      const req = clientSign(phpStyle({ headers: standardHeaders({ 'x-amz-pay-note': '  padded ' }), signedValues: { 'x-amz-pay-note': 'padded' } }));
      expect((await verify(req)).variant.headerValues).toBe('trim');
    });

    it('accepts a Node/Ruby query and collapsed whitespace together (the last variant)', async () => {
      const req = clientSign(phpStyle({ wireQuery: 'note=a+b', headers: standardHeaders({ 'x-n': 'a \t b' }), signedValues: { 'x-n': 'a b' } }));
      expect((await verify(req)).variant).toEqual({ query: 'raw', headerValues: 'collapse' });
    });

    it('accepts signed headers the Node SDK adds, including user-agent and mixed-case caller names', async () => {
      const headers = { ...standardHeaders(), 'user-agent': 'amazon-pay-api-sdk-nodejs/2.3.4 (JS/20.19.0; linux)', 'X-Amz-Pay-Idempotency-Key': 'k1' };
      expect((await verify(clientSign(phpStyle({ headers })))).publicKeyId).toBe(DEMO_ID);
    });

    it('reports the key environment for prefixed and unprefixed ids', async () => {
      expect((await verify(clientSign(phpStyle({ publicKeyId: 'LIVE-AMZNPAYMOCKDEMO000000001' })))).keyEnvironment).toBe('live');
      expect((await verify(clientSign(phpStyle({ publicKeyId: 'AMZNPAYMOCKDEMO000000001', path: '/sandbox/v2/checkoutSessions' })))).keyEnvironment).toBeNull();
    });
  });

  describe('x-amz-pay-date', () => {
    const at = (date: string) => clientSign(phpStyle({ headers: standardHeaders({ 'x-amz-pay-date': date }) }));

    it('answers 400 InvalidHeaderValue with the observed wording for a date more than 5 s ahead of wall time', async () => {
      const err = await expectAmazonRejection(verify(at('20240101T000036Z')), 'InvalidHeaderValue', 400);
      expect(err.message).toBe('The value 20240101T000036Z provided for x-amz-pay-date should not be in future');
    });

    it('tolerates a date up to 5 s ahead (client clock slightly fast)', async () => {
      expect((await verify(at('20240101T000035Z'))).publicKeyId).toBe(DEMO_ID);
    });

    it('answers 400 InvalidHeaderValue naming the window for a stale date', async () => {
      const err = await expectAmazonRejection(verify(at('20231231T234529Z')), 'InvalidHeaderValue', 400);
      expect(err.message).toBe('The value 20231231T234529Z provided for x-amz-pay-date is outside the allowed window of 900 seconds (server time 20240101T000030Z).');
    });

    it('accepts a date exactly skewSeconds old', async () => {
      expect((await verify(at('20231231T234530Z'))).publicKeyId).toBe(DEMO_ID);
    });

    it('compares to wall time given in deps, so a moved business clock does not matter', async () => {
      const err = await expectAmazonRejection(verify(at('20240101T000000Z'), deps(verifier, WALL_TIME, 10)), 'InvalidHeaderValue', 400);
      expect(err.message).toContain('allowed window of 10 seconds');
      expect((await verify(at('20240101T000000Z'), deps(verifier, Date.UTC(2024, 0, 1, 0, 0, 5), 10))).publicKeyId).toBe(DEMO_ID);
    });

    it('answers 400 MissingHeader when it is absent', async () => {
      const req = at('20240101T000000Z');
      const err = await expectAmazonRejection(verify({ ...req, headers: { ...req.headers, 'x-amz-pay-date': undefined } }), 'MissingHeader', 400);
      expect(err.message).toBe("The request must include the header 'x-amz-pay-date'.");
    });

    it.each(['', '   '])('answers 400 MissingHeaderValue, as for an empty authorization, when it is sent empty (%j)', async (date) => {
      const err = await expectAmazonRejection(verify(at(date)), 'MissingHeaderValue', 400);
      expect(err.message).toBe("The header 'x-amz-pay-date' has no value; expected YYYYMMDDTHHMMSSZ or YYYY-MM-DDTHH:MM:SSZ (UTC).");
    });

    it.each(['yesterday', '2024-01-01', '20240101T000000', '20240231T000000Z', '1704067200'])('answers 400 InvalidHeaderValue for %j', async (date) => {
      const err = await expectAmazonRejection(verify(at(date)), 'InvalidHeaderValue', 400);
      expect(err.message).toContain(`The value ${date} provided for x-amz-pay-date is invalid`);
    });
  });

  describe('authorization', () => {
    it('answers 400 MissingHeader without it', async () => {
      const req = clientSign(phpStyle());
      await expectAmazonRejection(verify({ ...req, headers: { ...req.headers, authorization: undefined } }), 'MissingHeader', 400);
    });

    it('answers 400 InvalidHeaderValue for a malformed one', async () => {
      const req = clientSign(phpStyle());
      await expectAmazonRejection(verify({ ...req, headers: { ...req.headers, authorization: 'AMZN-PAY-RSASSA-PSS Signature=abc' } }), 'InvalidHeaderValue', 400);
    });

    it('answers 401 UnauthorizedAccess for an unknown key id, saying how to register it', async () => {
      const err = await expectAmazonRejection(verify(clientSign(phpStyle({ publicKeyId: 'SANDBOX-NOBODY' }))), 'UnauthorizedAccess', 401);
      expect(err.message).toContain("Unknown publicKeyId 'SANDBOX-NOBODY'");
      expect(err.message).toContain('POST /__admin/publicKeys {"publicKeyId":"SANDBOX-NOBODY","publicKey":"<PEM>"}');
      expect(err.message).toContain('SANDBOX-NOBODY.pem into the keys directory');
    });

    it('matches key ids exactly: a different case is a different (unknown) id', async () => {
      await expectAmazonRejection(verify(clientSign(phpStyle({ publicKeyId: DEMO_ID.toLowerCase() }))), 'UnauthorizedAccess', 401);
    });

    it('checks the key before the date, and the date before the signature', async () => {
      const stale = clientSign(phpStyle({ publicKeyId: 'SANDBOX-NOBODY', headers: standardHeaders({ 'x-amz-pay-date': '20200101T000000Z' }) }));
      await expectAmazonRejection(verify(stale), 'UnauthorizedAccess', 401);
      const staleAndBroken = clientSign(phpStyle({ headers: standardHeaders({ 'x-amz-pay-date': '20200101T000000Z' }) }));
      await expectAmazonRejection(verify({ ...staleAndBroken, body: Buffer.from('x') }), 'InvalidHeaderValue', 400);
    });
  });
});

describe('verifyRequest and memory', () => {
  /** Live strings (after a full collection) that contain every one of `parts`, from a heap snapshot of this process. */
  async function liveStringsContaining(...parts: string[]): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
    const snapshot = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { strings: string[] };
    return snapshot.strings.filter((s) => parts.every((p) => s.includes(p))).length;
  }

  it("reports the registry's copy of the publicKeyId, so what a call stores does not keep its authorization header alive", async () => {
    // A header name made at run time, so only the signed requests' authorization headers contain it.
    const probe = ['x', 'retention', 'probe', randomUUID().slice(0, 8)].join('-');
    const deps = { keys, verifier: verifiers[0]![1], wallTime: () => WALL_TIME, skewSeconds: 900 };
    const kept: string[] = [];
    for (let i = 0; i < 20; i++) {
      const input = clientSign({ method: 'GET', path: `/v2/checkoutSessions/s${i}`, headers: standardHeaders({ [probe]: String(i) }) });
      // What a created record keeps of its caller: the publicKeyId (checkout sessions' meta, for one).
      kept.push((await verifyRequest(input, deps)).publicKeyId);
    }
    expect(new Set(kept)).toEqual(new Set([DEMO_ID]));
    // At most the last request may still be reachable from this function's frame; each kept id would keep its own.
    expect(await liveStringsContaining(probe, 'Signature=')).toBeLessThanOrEqual(1);
  });
});
