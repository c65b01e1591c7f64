#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, dbFilePath, helpText, loadConfig, type Config } from './config.js';
import { envHelp, runEnvCommand } from './envCommand.js';
import { isLoopback } from './loopback.js';
import { servedHostList } from './proxy/refusals.js';
import { ListenError, startServer, type RunningServer } from './server.js';
import { StoreOpenError } from './store/errors.js';
import { redactedUrl } from './store/redisStore.js';

/** Exit codes: 0 clean stop or --help, 1 crash or cannot listen, 2 bad configuration or unusable state files. */
/** 0 stopped cleanly; 1 crashed while running; 2 refused to start (bad setting, port taken, unreadable store, anything else). */
export const exitCodes = { ok: 0, failure: 1, startup: 2 } as const;

export { isLoopback } from './loopback.js';

/**
 * The process: config, listeners, one start-up summary, graceful stop on SIGINT/SIGTERM
 * (a second signal exits at once). Resolves with the running server; exits the process on failure.
 */
export async function main(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  // Until the app's logger exists, crashes go to stderr; a crash is logged, never swallowed.
  let logFatal = (err: unknown, origin: string) => console.error(`amazon-pay-mock: ${origin}:`, err);
  process.on('uncaughtException', (err, origin) => {
    logFatal(err, origin);
    process.exit(exitCodes.failure);
  });
  process.on('unhandledRejection', (reason) => {
    logFatal(reason, 'unhandledRejection');
    process.exit(exitCodes.failure);
  });

  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${helpText()}\n\n${envHelp}\n`);
    process.exit(exitCodes.ok);
  }
  if (argv[0] === 'env') {
    try {
      await runEnvCommand(argv.slice(1), env);
      process.exit(exitCodes.ok);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      console.error(`amazon-pay-mock env: ${err.message} (see --help)`);
      process.exit(exitCodes.startup);
    }
  }

  let config: Config;
  let running: RunningServer;
  try {
    config = loadConfig(argv, env);
    running = await startServer(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`amazon-pay-mock: configuration error: ${err.message} (see --help)`);
      process.exit(exitCodes.startup);
    }
    if (err instanceof ListenError) {
      console.error(`amazon-pay-mock: ${err.message}`);
      process.exit(exitCodes.startup);
    }
    if (err instanceof StoreOpenError) {
      // Never start empty on state that exists but cannot be read: say what, which file, what to do.
      console.error(`amazon-pay-mock: cannot start: ${err.message}`);
      process.exit(exitCodes.startup);
    }
    console.error(`amazon-pay-mock: cannot start: ${(err as Error)?.message ?? String(err)} (see --help)`);
    process.exit(exitCodes.startup);
  }

  const log = running.app.log;
  // With --log-level silent the app's logger drops everything; a crash still reaches stderr.
  if (config.logLevel !== 'silent') logFatal = (err, origin) => log.fatal({ err, origin }, `crashed (${origin})`);

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, `${signal} again: exiting without waiting`);
      process.exit(128 + (constants.signals[signal] ?? 0));
    }
    stopping = true;
    log.info({ signal }, `${signal}: finishing in-flight requests, then stopping (send it again to exit at once)`);
    running.close().then(
      () => {
        log.info('stopped');
        process.exit(exitCodes.ok);
      },
      (err: unknown) => {
        log.error({ err }, 'error while stopping');
        process.exit(exitCodes.failure);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Only now: whoever waits for this line may signal right away.
  logSummary(config, running);
  return running;
}

function logSummary(config: Config, running: RunningServer): void {
  const log = running.app.log;
  const urls = [running.http?.url, running.https?.url].filter((u): u is string => u !== undefined);
  const cert = running.certificate;
  log.info(
    {
      http: running.http?.url ?? null,
      https: running.https?.url ?? null,
      // What the Node SDK's overrideServiceUrl wants: host:port, no scheme.
      overrideServiceUrl: running.https ? running.https.url.replace(/^https:\/\//, '') : null,
      dataDir: path.resolve(config.dataDir),
      store: config.store === 'file' ? path.resolve(dbFilePath(config)) : config.store === 'redis' ? redactedUrl(config.redisUrl) : 'memory',
      certificate: cert && { source: cert.source, file: cert.file, names: cert.names },
      ca: running.ca,
      proxy: running.http ? running.http.url : null,
    },
    `amazon-pay-mock listening on ${urls.join(' and ')}`,
  );
  const ca = running.ca;
  log.info({ ca: ca.file }, `local CA (${ca.source}): ${ca.file}; trust this file once (also served at /__admin/ca.pem); \`amazon-pay-mock env\` prints the settings`);
  if (ca.replaced) log.warn({ ca: ca.file }, `the CA found in the data dir was replaced (${ca.replaced}): trust the new ${ca.file}`);
  if (running.http) log.info({ proxy: running.http.url }, `HTTPS proxy for ${servedHostList} at ${running.http.url} (HTTPS_PROXY=${running.http.url})`);
  // Keys loaded or skipped, scenario files read: gathered while the app was built.
  for (const note of running.app.mock?.startupNotes ?? []) log[note.level](note.message);
  if (config.signature === 'off') log.warn('signature verification OFF: every request is accepted whatever its signature (--signature off)');
  if (!isLoopback(config.host)) {
    log.warn(
      config.adminToken
        ? `host ${config.host} is not a loopback address: other machines can reach this mock and its demo keys (the control API needs the admin token)`
        : `host ${config.host} is not a loopback address and no --admin-token is set: other machines can reach this mock, its demo keys and its unauthenticated /__admin API`,
    );
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main();
