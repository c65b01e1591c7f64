import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { recordCalls } from './journal/recordCalls.js';
import { existsSync } from 'node:fs';
import { registerAdmin } from './admin/registerAdmin.js';
import { registerPages } from './pages/registerPages.js';
import { requireAdminToken } from './admin/adminAuth.js';
import { installErrorHandling } from './api/errorHandler.js';
import { answerFrameworkError } from './api/frameworkErrors.js';
import { installServedHost } from './proxy/servedHost.js';
import { logRequests, logsRequests } from './http/requestLog.js';
import { registerApi } from './api/registerApi.js';
import { documentationRoutes } from './docs/documentationRoutes.js';
import { IdempotencyKeys } from './api/idempotencyKeys.js';
import { originForm } from './api/rawUrl.js';
import { installCallTrace } from './api/callTrace.js';
import { createDeps, type AppDeps, type GivenDeps } from './appDeps.js';
import type { MockContext } from './context.js';
import { packagePath, publicUrlOf, type Config } from './config.js';
import type { DomainSettings } from './domain/operation.js';
import { parseConversionRates } from './domain/conversion.js';
import { Settler } from './settler.js';
import { restoreClocks } from './store/serverState.js';
import { restoreKeys } from './admin/registeredKeys.js';
import { followSharedState, SharedStateFollower } from './sharedState.js';
import { shareSigningKey } from './ipn/sharedSigningKey.js';
import { lazySchemaCompilers } from './lazySchemaCompilers.js';

export { publicUrlOf };

declare module 'fastify' {
  interface FastifyInstance {
    /** The emulator's dependencies, for the process entry and tests. */
    mock: MockContext;
  }
}

/**
 * Builds the Fastify instance with every route (emulated API, control API, documentation); does
 * not listen. Opens the store; closing the app flushes and closes it.
 */
export async function buildApp(config: Config, given: GivenDeps = {}): Promise<FastifyInstance> {
  const deps = createDeps(config, given);
  const settings: DomainSettings = { publicUrl: publicUrlOf(config), buyerApproval: config.buyerApproval, pendingDelayMs: config.pendingDelaySeconds * 1000, conversionRates: parseConversionRates(config.conversionRates) };
  // On a store shared with other processes, clocks and keys are re-read before use, and background passes run where the lease is.
  const follower = deps.sharedStore ? new SharedStateFollower(deps.store, deps.clocks, deps.keys) : null;
  const settler = new Settler(deps.store, deps.clocks, settings.publicUrl, { lease: deps.sweepLease, beforePass: follower ? () => follower.refreshAllClocks() : undefined });

  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, ...(deps.logStream ? { stream: deps.logStream } : {}) },
    bodyLimit: config.bodyLimit,
    // Ids (buyer tokens, MWS tokens) can be long; find-my-way's default of 100 answers 414 itself.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    // No automatic HEAD twins: a HEAD would run the whole operation (and use up scenario rules).
    exposeHeadRoutes: false,
    rewriteUrl: (req) => originForm(req.url ?? '/'),
    requestIdHeader: false,
    genReqId: () => deps.ids.uuid(),
    // A client that drops the connection mid-request must not crash anything.
    return503OnClosing: false,
    // Bad percent-escapes and over-long ids, found while routing, answered in Amazon's shape.
    frameworkErrors: answerFrameworkError,
    // One line per request (onResponse below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    schemaController: { compilersFactory: lazySchemaCompilers },
  });
  const context: MockContext = { ...deps, config, settings, settler, idempotency: new IdempotencyKeys(deps.store, config.idempotencyKey) };
  app.decorate('mock', context);
  installCallTrace(app);

  // Keep every body raw: the signature covers its exact bytes, and JSON errors must be Amazon's.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // The hooks every request passes through take a callback, not a promise: an async hook costs a
  // few promise turns per request (measured: 15-25 µs per GET for these four together).
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-amz-pay-request-id', request.id);
    request.trace.responsePayload = payload;
    done(null, payload);
  });

  recordCalls(app, deps);
  // One line per request at info; below that level the hook is not installed at all.
  if (logsRequests(config.logLevel)) logRequests(app);

  installServedHost(app);
  if (follower) followSharedState(app, follower);
  installErrorHandling(app, config.bodyLimit);
  requireAdminToken(app, config.adminToken);

  const spec = packagePath('openapi.yaml');
  if (existsSync(spec)) {
    documentationRoutes(app, spec, packagePath('.'));
  }

  registerApi(app, context);
  registerAdmin(app, context);
  registerPages(app, context);

  await deps.store.open();
  for (const note of deps.storeHealth.notes()) app.log[note.level](note.message);
  await restoreClocks(deps.store, deps.clocks);
  for (const problem of await restoreKeys(deps.store, deps.keys)) app.log.warn(problem);
  await deps.idReservation?.restore();
  // Several processes on one store sign IPN envelopes with one key.
  if (deps.sharedStore) await shareSigningKey(deps.store);
  // The IPN signing key is generated in the background: a start must not wait for it (the first
  // signed notification generates it at once if it is not ready by then).
  deps.ipn.start().catch((err: unknown) => app.log.warn({ err }, 'could not prepare the IPN signing key; it is made when first needed'));
  settler.start();
  // Retention of what lives outside the store (the store sweeps its own records).
  const retentionMs = config.retentionDays * 86_400_000;
  const sweep =
    retentionMs > 0
      ? setInterval(() => {
          const cutoff = deps.wallTime() - retentionMs;
          // A shared journal and the IPN outbox are swept by the process holding the lease.
          if (deps.sweepLease.held) void Promise.resolve(deps.journal.dropBefore(cutoff)).catch(() => {});
          if (deps.sweepLease.held) void deps.ipn.dropDeliveriesBefore(cutoff).catch(() => {});
        }, Math.min(3_600_000, retentionMs / 10)).unref()
      : null;
  app.addHook('onClose', async () => {
    if (sweep) clearInterval(sweep);
    await settler.stop();
    deps.ipn.close();
    await deps.store.close();
  });
  return app;
}
