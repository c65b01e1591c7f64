import { describe, expect, it } from 'vitest';
import { KeyRegistry, type RegisteredKey } from '../../server/signing/index.js';
import { VerifyWorker } from '../../server/signing/verifyWorker.js';
import { FIRST_PART_CHECKS, VERIFY_WORKER_SOURCE, WORKER_READY } from '../../server/signing/verifyWorkerSource.js';
import { DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, OTHER_PRIVATE_KEY, OTHER_PUBLIC_KEY, pssSign } from './helpers.js';

const keys = new KeyRegistry();
const demo = keys.add('DEMO', DEMO_PUBLIC_KEY);
const other = keys.add('OTHER', OTHER_PUBLIC_KEY);
const MESSAGE = 'AMZN-PAY-RSASSA-PSS-V2\nc816195674fb8f20558493519c1296234a03b93fa4b8ba95078b4d28538e7a15';

interface Check {
  what: string;
  key: RegisteredKey;
  message: string;
  signature: Buffer;
  saltLength: 20 | 32;
  expected: boolean;
}

const signed = (privateKey: string, message: string, salt: 20 | 32) => Buffer.from(pssSign('node', privateKey, message, salt), 'base64');
const flipped = (bytes: Buffer, at: number) => {
  const copy = Buffer.from(bytes);
  copy[at]! ^= 0x01;
  return copy;
};

/** Valid, invalid and garbage signatures under both keys and both salt lengths, in one list. */
function mixedChecks(): Check[] {
  const demo32 = signed(DEMO_PRIVATE_KEY, MESSAGE, 32);
  const demo20 = signed(DEMO_PRIVATE_KEY, MESSAGE, 20);
  const other32 = signed(OTHER_PRIVATE_KEY, MESSAGE, 32);
  const base: Check[] = [
    { what: 'valid, demo key, salt 32', key: demo, message: MESSAGE, signature: demo32, saltLength: 32, expected: true },
    { what: 'valid, demo key, salt 20', key: demo, message: MESSAGE, signature: demo20, saltLength: 20, expected: true },
    { what: 'valid, other key', key: other, message: MESSAGE, signature: other32, saltLength: 32, expected: true },
    { what: 'non-ASCII message', key: other, message: `${MESSAGE}ü€`, signature: signed(OTHER_PRIVATE_KEY, `${MESSAGE}ü€`, 20), saltLength: 20, expected: true },
    { what: 'wrong salt length', key: demo, message: MESSAGE, signature: demo32, saltLength: 20, expected: false },
    { what: 'checked against the other key', key: other, message: MESSAGE, signature: demo32, saltLength: 32, expected: false },
    { what: 'different message', key: demo, message: `${MESSAGE}0`, signature: demo32, saltLength: 32, expected: false },
    { what: 'one bit flipped', key: demo, message: MESSAGE, signature: flipped(demo32, 77), saltLength: 32, expected: false },
    { what: 'all zero bytes', key: demo, message: MESSAGE, signature: Buffer.alloc(256), saltLength: 32, expected: false },
    { what: 'larger than the modulus', key: other, message: MESSAGE, signature: Buffer.alloc(256, 0xff), saltLength: 32, expected: false },
    { what: 'too short (past the gate anyway)', key: demo, message: MESSAGE, signature: demo32.subarray(0, 10), saltLength: 32, expected: false },
    { what: 'empty message', key: demo, message: '', signature: demo32, saltLength: 32, expected: false },
  ];
  // Repeated and interleaved, so answers out of order or shifted by one would show.
  return Array.from({ length: 4 }, (_, round) => (round % 2 ? [...base].reverse() : base)).flat();
}

const verifyAll = (worker: VerifyWorker, checks: readonly Check[]) => Promise.all(checks.map((c) => worker.verify(c.key, c.message, c.signature, c.saltLength)));
const expectedOf = (checks: readonly Check[]) => checks.map((c) => c.expected);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** The real worker, except that its process ends (as on a crash) in the middle of its `crashAt`-th check. */
function crashingSource(crashAt: number): string {
  return `{
  const crypto = require('node:crypto');
  const verify = crypto.verify;
  let calls = 0;
  crypto.verify = (...args) => (++calls === ${crashAt} ? process.exit(70) : verify(...args));
}
${VERIFY_WORKER_SOURCE}`;
}

describe('VerifyWorker', () => {
  it('starts no worker until the first check, then answers in the thread pool until the worker is online', async () => {
    const worker = new VerifyWorker();
    expect(worker.stats.workersStarted).toBe(0);
    const checks = mixedChecks().slice(0, 12);
    expect(await verifyAll(worker, checks)).toEqual(expectedOf(checks));
    expect(worker.stats).toMatchObject({ workersStarted: 1, fallbacks: 12, batches: 0 });
  });

  it('sends the checks asked for in one turn as one message, each answered with its own result', async () => {
    const worker = new VerifyWorker();
    expect(await worker.whenOnline()).toBe(true);
    const checks = mixedChecks();
    expect(await verifyAll(worker, checks)).toEqual(expectedOf(checks));
    expect(worker.stats).toMatchObject({ batches: 1, verified: checks.length, fallbacks: 0 });
  });

  it('sends one batch per turn of the event loop, and each key only with the first batch that uses it', async () => {
    const worker = new VerifyWorker();
    await worker.whenOnline();
    const checks = mixedChecks();
    const first = verifyAll(worker, checks.slice(0, 20));
    await nextTurn();
    const second = verifyAll(worker, checks.slice(20));
    expect([...(await first), ...(await second)]).toEqual(expectedOf(checks));
    expect(worker.stats).toMatchObject({ batches: 2, verified: checks.length, keysSent: 2 });
  });

  it('answers a batch in parts of doubling size, in order, each check with its own result', async () => {
    const worker = new VerifyWorker();
    await worker.whenOnline();
    const checks = mixedChecks(); // 48 checks: parts of 2, 4, 8, 16 and the last 18
    expect(checks.length).toBe(48);
    expect(await verifyAll(worker, checks)).toEqual(expectedOf(checks));
    expect(worker.stats).toMatchObject({ batches: 1, answers: 5, verified: 48, fallbacks: 0 });
  });

  it('redoes in the thread pool the checks not answered yet when the worker dies mid-batch, and starts a fresh worker later', async () => {
    const worker = new VerifyWorker({ source: crashingSource(3), retryDelayMs: 0 });
    await worker.whenOnline();
    const checks = mixedChecks();
    const inFlight = verifyAll(worker, checks.slice(0, 24));
    await nextTurn(); // the first batch is posted; the worker answers its first two checks, then dies on the third
    const queuedBehind = verifyAll(worker, checks.slice(24));
    expect([...(await inFlight), ...(await queuedBehind)]).toEqual(expectedOf(checks));
    expect(worker.stats.verified).toBe(FIRST_PART_CHECKS);
    expect(worker.stats.fallbacks).toBe(checks.length - FIRST_PART_CHECKS);
    expect(worker.stats.workersStarted).toBe(1);

    // The next check starts a fresh worker (answered in the pool meanwhile); two checks then fit before its crash.
    expect(await worker.verify(demo, MESSAGE, signed(DEMO_PRIVATE_KEY, MESSAGE, 32), 32)).toBe(true);
    expect(worker.stats.workersStarted).toBe(2);
    await worker.whenOnline();
    expect(await verifyAll(worker, checks.slice(0, 2))).toEqual(expectedOf(checks.slice(0, 2)));
    expect(worker.stats.verified).toBe(FIRST_PART_CHECKS + 2);
  });

  it('waits the retry delay after a failure before trying another worker', async () => {
    const worker = new VerifyWorker({ source: crashingSource(1), retryDelayMs: 60_000 });
    await worker.whenOnline();
    const checks = mixedChecks();
    expect(await verifyAll(worker, checks)).toEqual(expectedOf(checks));
    expect(await verifyAll(worker, checks)).toEqual(expectedOf(checks));
    expect(worker.stats).toMatchObject({ workersStarted: 1, verified: 0, fallbacks: 2 * checks.length });
  });

  it('answers every check when the worker cannot start at all', async () => {
    const worker = new VerifyWorker({ source: 'this is not JavaScript', retryDelayMs: 0 });
    expect(await worker.whenOnline()).toBe(false);
    const checks = mixedChecks();
    expect(await verifyAll(worker, checks)).toEqual(expectedOf(checks));
    expect(worker.stats.verified).toBe(0);
  });

  it('falls back for a batch whose answer does not fit it, and drops that worker', async () => {
    // No `from`, more results than checks, an empty part, a part that does not start where the last ended.
    for (const answer of ['{ id, results: new Uint8Array(1).fill(1) }', '{ id, from: 0, results: new Uint8Array(49).fill(1) }', '{ id, from: 0, results: new Uint8Array(0) }', '{ id, from: 1, results: new Uint8Array(1).fill(1) }']) {
      await expectEveryCheckRedone(new VerifyWorker({ source: fakeWorker(`({ id }) => parentPort.postMessage(${answer})`), retryDelayMs: 60_000 }));
    }
  });

  it('keeps the parts already answered when a later part does not fit, and redoes only the rest', async () => {
    // Answers the first two checks false (a real check would say true for some), then repeats that part.
    const source = fakeWorker('({ id }) => { parentPort.postMessage({ id, from: 0, results: new Uint8Array(2) }); parentPort.postMessage({ id, from: 0, results: new Uint8Array(2) }); }');
    const worker = new VerifyWorker({ source, retryDelayMs: 60_000 });
    await worker.whenOnline();
    const checks = mixedChecks();
    expect(await verifyAll(worker, checks)).toEqual([false, false, ...expectedOf(checks.slice(2))]);
    expect(worker.stats).toMatchObject({ batches: 1, verified: 2, answers: 1, fallbacks: checks.length - 2 });
  });

  it('replaces a worker that stops answering, redoing its checks in the thread pool', async () => {
    await expectEveryCheckRedone(new VerifyWorker({ source: fakeWorker('() => {}'), retryDelayMs: 60_000, stallMs: 50 }));
  });

  it('redoes a batch it cannot encode in the thread pool, and sends its keys again with the next batch', async () => {
    const worker = new VerifyWorker();
    await worker.whenOnline();
    const valid = signed(DEMO_PRIVATE_KEY, MESSAGE, 32);
    // 70,000 bytes do not fit the format's 16-bit signature length: the whole batch stays here.
    const unencodable = verifyAll(worker, [
      { what: 'valid', key: demo, message: MESSAGE, signature: valid, saltLength: 32, expected: true },
      { what: 'oversized', key: demo, message: MESSAGE, signature: Buffer.alloc(70_000, 1), saltLength: 32, expected: false },
    ]);
    expect(await unencodable).toEqual([true, false]);
    expect(worker.stats).toMatchObject({ batches: 0, keysSent: 0, fallbacks: 2 });
    // Had the key been counted as sent, the worker would now check against a key it never got.
    expect(await worker.verify(demo, MESSAGE, valid, 32)).toBe(true);
    expect(worker.stats).toMatchObject({ batches: 1, keysSent: 1, verified: 1 });
  });

  it('drops a worker that posts something other than an answer, redoing its checks in the thread pool', async () => {
    await expectEveryCheckRedone(new VerifyWorker({ source: fakeWorker('() => parentPort.postMessage(null)'), retryDelayMs: 60_000 }));
  });
});

/** The source of a worker that says it is ready, then answers each batch with `onMessage` (JavaScript text). */
function fakeWorker(onMessage: string): string {
  return `const { parentPort } = require('node:worker_threads');
    parentPort.on('message', ${onMessage});
    parentPort.postMessage(${JSON.stringify(WORKER_READY)});`;
}

/** Sends one batch of mixed checks to a misbehaving worker: every check must come back right, all redone in the thread pool. */
async function expectEveryCheckRedone(worker: VerifyWorker): Promise<void> {
  await worker.whenOnline();
  const checks = mixedChecks();
  expect(await verifyAll(worker, checks)).toEqual(expectedOf(checks));
  expect(worker.stats).toMatchObject({ batches: 1, verified: 0, fallbacks: checks.length });
}
