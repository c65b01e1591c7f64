import { BATCH_HEADER_BYTES, CHECK_FIELD, CHECK_HEADER_BYTES } from './verifyBatchFormat.js';

/** The worker's first message: its code has loaded and it takes batches. */
export const WORKER_READY = 'ready';

/** How many checks the first part of a batch's answer holds; each part after holds twice the last. */
export const FIRST_PART_CHECKS = 2;

/**
 * The signature-verification worker, as source text for `new Worker(source, { eval: true })`.
 * Text rather than a module file so it loads the same way from the TypeScript sources (vitest),
 * from tsc's output in dist/ and from the single esbuild bundle `npm start` runs, with no file
 * path to resolve in any of them. Eval'd workers run as CommonJS, hence `require`.
 *
 * A message is { id, keys: [[keyIndex, spkiDer], ...], batch: ArrayBuffer } in the layout of
 * verifyBatchFormat.ts (its sizes and offsets are written into the text below); each key arrives once and is kept as a KeyObject under its index. Every
 * check runs synchronously (RSASSA-PSS, SHA-256, the salt length given), any exception counting as
 * false. The batch is answered in order, in parts that double in size ({ id, from, results:
 * Uint8Array of 1/0 for checks from .. from + length - 1 }: 2 checks, then 4, 8, ...), so the event
 * loop resumes the first requests after two checks instead of waiting for the whole batch, and
 * works on them while the worker checks the rest. Its first message, once its code has loaded, is
 * WORKER_READY.
 */
export const VERIFY_WORKER_SOURCE = `'use strict';
const { parentPort } = require('node:worker_threads');
const { constants, createPublicKey, verify } = require('node:crypto');
const keys = [];
parentPort.on('message', ({ id, keys: added, batch }) => {
  for (const [index, spki] of added) keys[index] = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const view = new DataView(batch);
  const bytes = new Uint8Array(batch);
  const count = view.getUint32(0);
  const results = new Uint8Array(count);
  let at = ${BATCH_HEADER_BYTES};
  let from = 0;
  let size = ${FIRST_PART_CHECKS};
  let next = Math.min(count, size);
  for (let i = 0; i < count; i++) {
    const options = { key: keys[view.getUint32(at + ${CHECK_FIELD.keyIndex})], padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: view.getUint16(at + ${CHECK_FIELD.saltLength}) };
    const messageEnd = at + ${CHECK_HEADER_BYTES} + view.getUint32(at + ${CHECK_FIELD.messageBytes});
    const signatureEnd = messageEnd + view.getUint16(at + ${CHECK_FIELD.signatureBytes});
    try {
      results[i] = verify('sha256', bytes.subarray(at + ${CHECK_HEADER_BYTES}, messageEnd), options, bytes.subarray(messageEnd, signatureEnd)) ? 1 : 0;
    } catch {
      results[i] = 0;
    }
    at = signatureEnd;
    if (i + 1 === next) {
      parentPort.postMessage({ id, from, results: results.slice(from, next) });
      from = next;
      size *= 2;
      next = Math.min(count, from + size);
    }
  }
});
parentPort.postMessage(${JSON.stringify(WORKER_READY)});
`;
