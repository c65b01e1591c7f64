/**
 * The wire format of one batch of signature checks sent to the verification worker: a single
 * ArrayBuffer, transferred rather than copied, so a batch costs the event loop one small
 * allocation and one message however many checks it holds. (Measured against structured clones of
 * strings and Buffers and against a SharedArrayBuffer: this was as cheap or cheaper per check.)
 *
 * Layout, big-endian: u32 count, then for each check a 12-byte header (u32 key index, u16 salt
 * length, u32 message bytes, u16 signature bytes) followed by the message (UTF-8) and the
 * signature. The worker's decoder (verifyWorkerSource.ts) reads exactly this.
 */
export const BATCH_HEADER_BYTES = 4;
export const CHECK_HEADER_BYTES = 12;
/** Where each field sits in a check's header (bytes from its start); the worker reads these same offsets. */
export const CHECK_FIELD = { keyIndex: 0, saltLength: 4, messageBytes: 6, signatureBytes: 10 } as const;

/** One check as the batch carries it; keyIndex names a key the worker was sent before or with the batch. */
export interface BatchCheck {
  keyIndex: number;
  message: string;
  signature: Uint8Array;
  saltLength: number;
}

/** The checks packed into one ArrayBuffer of its own (never a pooled slab), ready to transfer. */
export function encodeBatch(checks: readonly BatchCheck[]): ArrayBuffer {
  let bound = BATCH_HEADER_BYTES;
  // UTF-8 needs at most 3 bytes per UTF-16 unit: sizing by that bound avoids measuring each message first.
  for (const check of checks) bound += CHECK_HEADER_BYTES + check.message.length * 3 + check.signature.length;
  const bytes = Buffer.allocUnsafeSlow(bound);
  bytes.writeUInt32BE(checks.length, 0);
  let at = BATCH_HEADER_BYTES;
  for (const { keyIndex, message, signature, saltLength } of checks) {
    const messageBytes = bytes.write(message, at + CHECK_HEADER_BYTES, 'utf8');
    bytes.writeUInt32BE(keyIndex, at + CHECK_FIELD.keyIndex);
    bytes.writeUInt16BE(saltLength, at + CHECK_FIELD.saltLength);
    bytes.writeUInt32BE(messageBytes, at + CHECK_FIELD.messageBytes);
    bytes.writeUInt16BE(signature.length, at + CHECK_FIELD.signatureBytes);
    at += CHECK_HEADER_BYTES + messageBytes;
    bytes.set(signature, at);
    at += signature.length;
  }
  return bytes.buffer;
}
