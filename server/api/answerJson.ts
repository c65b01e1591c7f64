/** An answer's JSON: the text (kept under an idempotency key) and the bytes sent. */
export interface AnswerJson {
  readonly text: string;
  readonly bytes: Buffer;
}

// Keyed by the body object itself: a stored record the store deep-froze can never change, so its
// JSON is the same for as long as the object lives; a new version is a new object, a new key.
const serialized = new WeakMap<object, AnswerJson>();

/**
 * The JSON of an answer body. A body that is deeply frozen (what the store hands out: Get
 * operations answer with the stored object itself) is serialized once per version and the text
 * and bytes are shared by every later answer with it; anything else is serialized every time.
 */
export function answerJson(body: unknown): AnswerJson {
  if (typeof body !== 'object' || body === null || !Object.isFrozen(body)) return fresh(body);
  let json = serialized.get(body);
  if (json === undefined) {
    json = fresh(body);
    // Shallowly frozen with something mutable inside: its text could change, so it is not kept.
    if (isDeeplyFrozen(body)) serialized.set(body, json);
  }
  return json;
}

function fresh(body: unknown): AnswerJson {
  const text = JSON.stringify(body);
  return { text, bytes: Buffer.from(text, 'utf8') };
}

function isDeeplyFrozen(value: object): boolean {
  if (!Object.isFrozen(value)) return false;
  for (const key in value) {
    const field = (value as Record<string, unknown>)[key];
    if (typeof field === 'object' && field !== null && !isDeeplyFrozen(field)) return false;
  }
  return true;
}
