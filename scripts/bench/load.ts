import { Pool, type Dispatcher } from 'undici';

/** One request ready to send as is (pre-signed for the mock). */
export interface PreparedRequest {
  /** POST unless said otherwise. */
  method?: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadOptions {
  /** Requests in flight at once, one per connection. */
  connections: number;
  /** Stop starting requests after this long (in-flight ones finish). Infinity = until `count` is reached. */
  durationMs: number;
  /** How many requests to send at most. Infinity = until the deadline. */
  count: number;
  /** The i-th request. */
  request(i: number): PreparedRequest;
  /** The only status that counts as success. */
  expectStatus: number;
  /** Keep every response body (by request index), e.g. to read the ids of created sessions. */
  keepBodies?: boolean;
}

export interface LoadResult {
  /** Per-request latency in ms (first byte sent to last byte read), in completion order. */
  latenciesMs: Float64Array;
  errors: number;
  statusCounts: Record<string, number>;
  firstError: string | null;
  elapsedMs: number;
  endedBy: 'duration' | 'supply';
  bodies: (string | undefined)[];
}

/** A keep-alive connection pool to `origin` with one request in flight per connection. */
export function connectionPool(origin: string, connections: number): Pool {
  return new Pool(origin, { connections, pipelining: 1 });
}

/**
 * Closed-loop load: `connections` workers each send a request, wait for the whole answer, and send
 * the next, until the deadline passes or the requests run out. Every answer other than
 * `expectStatus`, and every transport failure, is an error.
 */
export async function runLoad(pool: Pool, options: LoadOptions): Promise<LoadResult> {
  if (!Number.isFinite(options.durationMs) && !Number.isFinite(options.count)) throw new Error('runLoad: give a duration or a count');
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const bodies: (string | undefined)[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let next = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  let endedBy: LoadResult['endedBy'] = 'supply';

  const worker = async () => {
    for (;;) {
      if (next >= options.count) return;
      if (performance.now() >= deadline) {
        endedBy = 'duration';
        return;
      }
      const i = next++;
      const { method = 'POST', path, headers, body } = options.request(i);
      const t0 = performance.now();
      let status: string;
      let failure: string | null = null;
      try {
        const res = await send(pool, method, path, headers, body, (code) => options.keepBodies === true || code !== options.expectStatus);
        status = String(res.status);
        if (res.status !== options.expectStatus) failure = `HTTP ${res.status} for ${method} ${path}: ${res.body.slice(0, 500)}`;
        else if (options.keepBodies) bodies[i] = res.body;
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        status = e.code ?? e.name ?? 'Error';
        failure = `${status} for ${method} ${path}: ${e.message}`;
      }
      latencies.push(performance.now() - t0);
      statusCounts[status] = (statusCounts[status] ?? 0) + 1;
      if (failure !== null) {
        errors++;
        firstError ??= failure;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  return { latenciesMs: Float64Array.from(latencies), errors, statusCounts, firstError, elapsedMs: performance.now() - started, endedBy, bodies };
}

/**
 * One POST through the pool's low-level dispatch (no response stream objects: a lighter client
 * leaves more of a shared machine to the server). The body is collected only if `wantBody(status)`.
 */
function send(pool: Pool, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body: string, wantBody: (status: number) => boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let chunks: Buffer[] | null = null;
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart() {}, // its presence tells undici this is a new-style (v7) handler
      onResponseStart(_controller, statusCode) {
        status = statusCode;
        chunks = wantBody(statusCode) ? [] : null;
      },
      onResponseData(_controller, chunk) {
        chunks?.push(chunk);
      },
      onResponseEnd() {
        resolve({ status, body: chunks ? Buffer.concat(chunks).toString('utf8') : '' });
      },
      onResponseError(_controller, error) {
        reject(error);
      },
    };
    pool.dispatch(method === 'GET' ? { method, path, headers } : { method, path, headers, body }, handler);
  });
}
