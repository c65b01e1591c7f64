/**
 * One benchmark target in its own process, so the load generator never shares its event loop:
 * `node target.js baseline` (bare Fastify 5), `node target.js verifying` (the same, checking each
 * request's RSA-PSS signature), `node target.js mock native|forge <dataDir>` (the
 * emulator over plain HTTP, file store, silent) or `node target.js default <dataDir>` (the emulator
 * as a plain start runs it). Forked by scripts/bench.ts; reports its port over IPC and its CPU
 * time, memory and event-loop delay on request. The parent ends it with a signal.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { baselinePayload } from './baselinePayload.js';
import { mainThreadCpuUs } from './mainThreadCpu.js';
import { storeLayerWith } from './storeLayers.js';
import { watchStalls } from './stallWatch.js';
import { mockFlags, parseTargetArgv, type TargetCommand, type TargetMessage, type TargetSpec } from './protocol.js';

function send(message: TargetMessage): void {
  process.send?.(message);
}

/** Starts the server; resolves to its port and a function that stops it. */
interface Started {
  port: number;
  storeStats: () => unknown;
  /** The file store's own compaction, when there is a file store. */
  compact: (() => Promise<number>) | null;
  close: () => Promise<void>;
}

/** The file store under the app's wrappers, if any. */
const fileStoreOf = (store: unknown) => storeLayerWith<{ stats(): unknown; compact(): Promise<void>; state: { size: number } }>(store, 'compact', 'stats');

/** A Fastify app without a store, listening on a free loopback port. */
async function listening(app: FastifyInstance): Promise<Started> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, storeStats: () => null, compact: null, close: () => app.close() };
}

async function start(spec: TargetSpec): Promise<Started> {
  if (spec.kind === 'baseline') {
    const app = Fastify({ logger: false });
    app.post('/v2/checkoutSessions/:checkoutSessionId/complete', async () => baselinePayload);
    app.get('/v2/checkoutSessions/:checkoutSessionId', async () => baselinePayload);
    app.get('/__admin/health', async () => ({ status: 'ok' }));
    return listening(app);
  }
  if (spec.kind === 'verifying') {
    // Loaded here, not at the top, like the mock: the baseline's cold start must not pay for it.
    const [{ verifyingBaseline }, { packagePath }, { demoPublicKeyId }] = await Promise.all([import('./verifyingBaseline.js'), import('../../server/config.js'), import('./requests.js')]);
    return listening(verifyingBaseline(demoPublicKeyId, readFileSync(packagePath(`fixtures/keys/${demoPublicKeyId}.pem`), 'utf8')));
  }
  // The mock starts as `amazon-pay-mock <flags>` does: main() of the built entry (after `npm run
  // build` one bundled file, as `npm start` and the package's bin run it), with no environment.
  // Loaded here, not at the top: the baseline's cold start must not pay for the mock's modules.
  const { main } = await import('../../server/main.js');
  const server = await main(mockFlags(spec), {});
  const store = fileStoreOf(server.app.mock.store);
  return {
    port: server.http!.port,
    storeStats: () => store?.stats() ?? null,
    compact: store ? () => store.compact().then(() => store.state.size) : null,
    close: () => server.close(),
  };
}

/**
 * BENCH_CPU_PROF_DIR=<dir>: a V8 CPU profile of each timed phase (from mark to stats) is written
 * there as <target>-<pid>-<n>.cpuprofile (open it in Chrome DevTools or VS Code).
 */
function phaseProfiler(dir: string): { start(): void; stop(name: string): void } {
  const session = new Session();
  session.connect();
  let running = false;
  let n = 0;
  return {
    start() {
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      running = true;
    },
    stop(name) {
      if (!running) return;
      running = false;
      session.post('Profiler.stop', (err, result) => {
        if (!err) writeFileSync(path.join(dir, `${name}-${process.pid}-${++n}.cpuprofile`), JSON.stringify(result.profile));
      });
    },
  };
}

async function main(): Promise<void> {
  // The parent is gone (crashed or killed): nothing left to serve.
  process.on('disconnect', () => process.exit());
  const spec = parseTargetArgv(process.argv.slice(2));
  const server = await start(spec);
  const profiler = process.env.BENCH_CPU_PROF_DIR ? phaseProfiler(process.env.BENCH_CPU_PROF_DIR) : null;
  let cpuMark = process.cpuUsage();
  let mainThreadMark = mainThreadCpuUs();
  let wallMark = performance.now();
  let storeAtMark = server.storeStats();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  process.on('message', (raw: TargetCommand) => {
    if (raw.cmd === 'mark') {
      profiler?.start();
      cpuMark = process.cpuUsage();
      mainThreadMark = mainThreadCpuUs();
      wallMark = performance.now();
      storeAtMark = server.storeStats();
      loopDelay.reset();
      send({ type: 'reply', id: raw.id });
    } else if (raw.cmd === 'compact') {
      // A fine-grained monitor of its own: the stall bound in question is a few ms.
      const stall = monitorEventLoopDelay({ resolution: 1 });
      stall.enable();
      const watch = watchStalls();
      const started = performance.now();
      void (server.compact ?? (() => Promise.reject(new Error('no file store'))))().then(
        (records) => {
          const ms = performance.now() - started;
          stall.disable();
          const watched = watch.stop();
          send({ type: 'reply', id: raw.id, compaction: { ms, loopDelayMaxMs: stall.max / 1e6, records, longestStall: watched.longest, threads: watched.threads } });
        },
        (err: Error) => {
          stall.disable();
          watch.stop();
          send({ type: 'reply', id: raw.id, error: err.message });
        },
      );
    } else if (raw.cmd === 'close') {
      const started = performance.now();
      void server.close().then(() => send({ type: 'reply', id: raw.id, closeMs: performance.now() - started }));
    } else if (raw.cmd === 'stats') {
      profiler?.stop(spec.kind === 'baseline' || spec.kind === 'verifying' ? spec.kind : spec.kind === 'default' ? 'mock-default' : `mock-${spec.verifier}-${spec.store ?? 'file'}`);
      // The phase's CPU first: a full GC of a million records takes over 100 ms.
      const cpu = process.cpuUsage(cpuMark);
      const mainNow = mainThreadCpuUs();
      const wallMs = performance.now() - wallMark;
      if (raw.collect) (globalThis as { gc?: () => void }).gc?.(); // memory per object: count only what is live
      const memory = process.memoryUsage();
      send({
        type: 'reply',
        id: raw.id,
        stats: {
          cpuUs: cpu.user + cpu.system,
          mainThreadCpuUs: mainNow === null || mainThreadMark === null ? null : mainNow - mainThreadMark,
          wallMs,
          rssBytes: memory.rss,
          heapUsedBytes: memory.heapUsed,
          loopDelayMaxMs: loopDelay.max / 1e6,
          loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
          storeAtMark,
          store: server.storeStats(),
        },
      });
    }
  });
  send({ type: 'ready', port: server.port });
}

main().catch((err: Error) => {
  send({ type: 'failed', message: err.stack ?? err.message });
  process.exitCode = 1;
  process.disconnect?.();
});
