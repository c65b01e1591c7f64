/** Whether a parsed JSON value is an object (not null, not an array), so its fields can be read. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A field of a JSON object; undefined for a missing field or for anything that is not an object. */
export function fieldOf(value: unknown, key: string): unknown {
  return isJsonObject(value) ? value[key] : undefined;
}
