import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

/** Whether the log level lets the one info line per request through. */
export function logsRequests(level: Config['logLevel']): boolean {
  return level === 'info' || level === 'debug' || level === 'trace';
}

/**
 * One info line per request, when its answer has gone out (Fastify's own two lines per request
 * are turned off). Installed only when info lines are written: a hook that builds a line nobody
 * writes still costs every request a hook turn and an object.
 */
export function logRequests(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    const trace = request.trace;
    request.log.info(
      {
        method: request.method,
        url: request.raw.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        merchant: trace.caller?.ns,
        reasonCode: trace.error?.reasonCode,
        scenario: trace.scenario ?? undefined,
        replayed: trace.replayed || undefined,
      },
      'request',
    );
    done();
  });
}
