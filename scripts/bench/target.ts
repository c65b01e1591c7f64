/**
 * One benchmark target in its own process, so the load generator never shares its event loop:
 * `node target.js baseline` (bare Fastify 5) or `node target.js mock native|forge <dataDir>` (the
 * emulator over plain HTTP, file store, silent). Forked by scripts/bench.ts; reports its port over IPC
 * and its CPU time, memory and event-loop delay on request. The parent ends it with a signal.
 */
import Fastify from 'fastify';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../../server/config.js';
import { startServer } from '../../server/server.js';
import { baselinePayload } from './baselinePayload.js';
import { parseTargetArgv, type TargetCommand, type TargetMessage, type TargetSpec } from './protocol.js';

function send(message: TargetMessage): void {
  process.send?.(message);
}

/** Starts the server; resolves to its port and a function that stops it. */
async function start(spec: TargetSpec): Promise<{ port: number; storeStats: () => unknown; close: () => Promise<void> }> {
  if (spec.kind === 'baseline') {
    const app = Fastify({ logger: false });
    app.post('/v2/checkoutSessions/:checkoutSessionId/complete', async () => baselinePayload);
    app.get('/v2/checkoutSessions/:checkoutSessionId', async () => baselinePayload);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    return { port: typeof address === 'object' && address ? address.port : 0, storeStats: () => null, close: () => app.close() };
  }
  // The defaults a user gets (file store, native or forge verifier), minus what would distort the
  // measurement: logging, HTTPS, scripted scenarios; idempotency keys optional so one signed create can be replayed.
  const config = loadConfig([], {}, {
    host: '127.0.0.1',
    http: true,
    httpPort: 0,
    https: false,
    store: 'file',
    dataDir: spec.dataDir,
    verifier: spec.verifier,
    logLevel: 'silent',
    scenariosDir: null,
    idempotencyKey: 'optional',
  });
  const server = await startServer(config);
  // The app's store wraps the file store (IPN notifications); the statistics are the inner one's.
  const wrapped = server.app.mock.store as { inner?: unknown };
  const store = (wrapped.inner ?? wrapped) as { stats?: () => unknown };
  return { port: server.http!.port, storeStats: () => store.stats?.() ?? null, close: () => server.close() };
}

async function main(): Promise<void> {
  // The parent is gone (crashed or killed): nothing left to serve.
  process.on('disconnect', () => process.exit());
  const spec = parseTargetArgv(process.argv.slice(2));
  const server = await start(spec);
  let cpuMark = process.cpuUsage();
  let wallMark = performance.now();
  let storeAtMark = server.storeStats();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  process.on('message', (raw: TargetCommand) => {
    if (raw.cmd === 'mark') {
      cpuMark = process.cpuUsage();
      wallMark = performance.now();
      storeAtMark = server.storeStats();
      loopDelay.reset();
      send({ type: 'reply', id: raw.id });
    } else if (raw.cmd === 'close') {
      const started = performance.now();
      void server.close().then(() => send({ type: 'reply', id: raw.id, closeMs: performance.now() - started }));
    } else if (raw.cmd === 'stats') {
      (globalThis as { gc?: () => void }).gc?.(); // memory per object: count only what is live
      const cpu = process.cpuUsage(cpuMark);
      const memory = process.memoryUsage();
      send({
        type: 'reply',
        id: raw.id,
        stats: {
          cpuUs: cpu.user + cpu.system,
          wallMs: performance.now() - wallMark,
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
