/**
 * A micro-benchmark of the store's share of a complete and a get, in one process (no HTTP, no
 * load generator): the mock's app (file or memory store, silent) answers pre-signed completes
 * through `app.inject`, `--concurrency` at a time so group commit works as under load, then gets
 * of the completed sessions. Prints CPU µs per request and the synchronous time spent in the
 * engine (commit: check, apply, encode; get), which is what the store costs on the main thread.
 *
 *   npm run build --silent && node dist/scripts/bench/storePath.js [--store file|memory] [--n 3000] [--profile dir]
 *
 * With --profile, each timed phase also writes a V8 CPU profile (sampled every 100 µs) to dir.
 *
 * Not part of `npm test` and not a pass/fail check: a tool for comparing before and after.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config.js';
import { startServer } from '../../server/server.js';
import type { EmbeddedEngine } from '../../server/store/store.js';
import { signRequest } from '../../server/signing/signRequest.js';
import { completeBody, completePath, createBody, createPath, demoPrivateKeyFile, demoPublicKeyId, getPath, sessionIdsOf, signedRequest } from './requests.js';
import { storeLayerWith } from './storeLayers.js';

interface Prepared {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  payload: string | undefined;
}

const { values } = parseArgs({
  options: { store: { type: 'string', default: 'file' }, n: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '32' }, profile: { type: 'string' } },
});
const store = values.store === 'memory' ? 'memory' : 'file';
const n = Number(values.n);
const concurrency = Number(values.concurrency);
const privateKey = readFileSync(demoPrivateKeyFile, 'utf8');
const origin = 'http://127.0.0.1';

function sign(method: 'GET' | 'POST', urlPath: string, body: string): Prepared {
  const signed = signedRequest(signRequest, { origin, path: urlPath, body, privateKey, publicKeyId: demoPublicKeyId, method });
  return { method, url: signed.path, headers: signed.headers, payload: signed.body === '' ? undefined : signed.body };
}

/** The engine under the app's store wrappers. */
function engineOf(outer: unknown): EmbeddedEngine {
  const engine = storeLayerWith<EmbeddedEngine>(outer, 'commit', 'get');
  if (engine === null) throw new Error('no embedded engine under the app store');
  return engine;
}

/** Wraps engine methods to add up their synchronous time. */
function timed(engine: EmbeddedEngine): { commitMs: () => number; getMs: () => number; reset: () => void } {
  let commitMs = 0;
  let getMs = 0;
  const commit = engine.commit.bind(engine);
  const get = engine.get.bind(engine);
  engine.commit = (ns, puts) => {
    const t = performance.now();
    try {
      return commit(ns, puts);
    } finally {
      commitMs += performance.now() - t;
    }
  };
  engine.get = (ns, collection, id) => {
    const t = performance.now();
    try {
      return get(ns, collection, id);
    } finally {
      getMs += performance.now() - t;
    }
  };
  return { commitMs: () => commitMs, getMs: () => getMs, reset: () => (commitMs = getMs = 0) };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'apm-storepath-'));
  const config = loadConfig([], {}, { host: '127.0.0.1', http: true, httpPort: 0, https: false, store, dataDir, logLevel: 'silent', scenariosDir: null, idempotencyKey: 'optional' });
  const server = await startServer(config);
  const app = server.app;
  const engine = engineOf((app as unknown as { mock: { store: unknown } }).mock.store);
  const clock = timed(engine);
  const send = async (r: Prepared) => {
    const res = await app.inject({ method: r.method, url: r.url, headers: r.headers, payload: r.payload });
    if (res.statusCode >= 300) throw new Error(`${r.method} ${r.url}: ${res.statusCode} ${res.payload.slice(0, 300)}`);
    return res.payload;
  };
  const pool = async (requests: Prepared[]) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests.length) await send(requests[next++]!);
      }),
    );
  };
  const create = sign('POST', createPath, createBody);
  const bodies: string[] = [];
  for (let i = 0; i < n; i++) bodies.push(await send(create));
  const ids = sessionIdsOf(bodies);
  const completes = ids.map((id) => sign('POST', completePath(id), completeBody));
  const gets = ids.map((id) => sign('GET', getPath(id), ''));
  const warm = Math.floor(n / 5);

  const phase = async (name: string, requests: Prepared[]) => {
    await pool(requests.slice(0, warm));
    clock.reset();
    const profiler = values.profile === undefined ? null : new Session();
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
      await profiler.post('Profiler.start');
    }
    const cpu = process.cpuUsage();
    const wall = performance.now();
    await pool(requests.slice(warm));
    const used = process.cpuUsage(cpu);
    const count = requests.length - warm;
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(path.join(values.profile!, `${name}-${store}.cpuprofile`), JSON.stringify(profile));
      profiler.disconnect();
    }
    const us = (v: number) => ((v * 1000) / count).toFixed(1);
    console.log(
      `${name.padEnd(9)} ${store} store: ${count} requests, CPU ${((used.user + used.system) / count).toFixed(0)} µs/request, ` +
        `engine commit ${us(clock.commitMs())} µs, engine get ${us(clock.getMs())} µs (sync, per request), wall ${(performance.now() - wall).toFixed(0)} ms`,
    );
  };
  await phase('complete', completes);
  await phase('get', gets);
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
