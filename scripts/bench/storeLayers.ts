/**
 * The layer of the app's store that has the given methods: the app holds its store under wrappers
 * (IPN notifications, the embedded-store wrapper around the engine), each keeping the next as
 * `inner` or `engine`. Null when no layer has them (say, the Redis store has no file engine).
 */
export function storeLayerWith<T>(store: unknown, ...methods: string[]): T | null {
  for (let s = store as Record<string, unknown> | undefined, depth = 0; s && depth < 5; depth++) {
    if (methods.every((m) => typeof s![m] === 'function')) return s as T;
    s = (s.inner ?? s.engine) as Record<string, unknown> | undefined;
  }
  return null;
}
