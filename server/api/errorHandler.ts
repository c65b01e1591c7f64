import { traceOf } from './callTrace.js';
import { sendAmazonJson } from './contentType.js';
import type { FastifyError, FastifyInstance } from 'fastify';
import { echo } from '../domain/echo.js';
import { AmazonPayError, apiError } from '../domain/errors.js';
import { storeUnavailable, StoreUnavailableError } from '../store/errors.js';
import { refused } from '../html/errorPage.js';
import { pageHeaders } from '../html/html.js';
import { isPagePath } from './frameworkErrors.js';

interface PathPattern {
  method: string;
  regex: RegExp;
}

/** Turns a Fastify route path into a regex, so a 404 can tell "wrong method" from "no such path". */
export function patternOf(method: string, url: string): PathPattern {
  const source = url
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return { method, regex: new RegExp(`^${source}/?$`) };
}

/** Maps anything thrown into Amazon's `{"reasonCode","message"}`; never lets a crash leak out. */
function toAmazonError(error: FastifyError, bodyLimit: number): AmazonPayError {
  if (error instanceof AmazonPayError) return error;
  // A write that could not be made durable changed nothing: the client may retry.
  if (error instanceof StoreUnavailableError) return storeUnavailable();
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return apiError('RequestEntityTooLarge', `The request body is larger than ${bodyLimit} bytes.`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return apiError('UnsupportedMediaType');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return apiError('InvalidRequest', 'The Content-Length header does not match the body.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return apiError('InvalidRequestFormat', `The request body is not valid JSON: ${error.message}`);
  }
  if (error.validation) return apiError('InvalidParameterValue', error.message);
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) return apiError('InvalidRequest', error.message);
  return apiError('InternalServerError', 'The emulator failed to process the request; see its log.');
}

/** Installs the error and not-found handlers for every route, emulated and control API alike. */
export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  const patterns: PathPattern[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') patterns.push(patternOf(method, route.url));
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    // A route may take more than the API's limit (an evidence file's upload URL): name the one that applied.
    const amazon = toAmazonError(error, request.routeOptions.bodyLimit ?? bodyLimit);
    if (amazon.status >= 500 && !(error instanceof AmazonPayError)) request.log.error({ err: error }, 'unexpected error');
    else request.log.info({ reasonCode: amazon.reasonCode }, amazon.message);
    traceOf(request).error = amazon;
    return sendAmazonJson(reply, amazon.status, JSON.stringify(amazon.toBody()));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = (request.raw.url ?? '/').split('?')[0]!;
    const version = /^(?:\/(?:sandbox|live))?\/(v\d+)\//.exec(path);
    let error: AmazonPayError;
    if (version && version[1] !== 'v2') {
      error = apiError('InvalidAPIVersion', `The API version ${version[1]} is not supported; use v2.`);
    } else if (patterns.some((p) => p.regex.test(path))) {
      const allowed = [...new Set(patterns.filter((p) => p.regex.test(path)).map((p) => p.method))];
      reply.header('allow', allowed.join(', '));
      error = apiError('RequestNotSupported', `${request.method} is not supported on ${echo(path)}; use ${allowed.join(' or ')}.`);
    } else {
      error = apiError('ResourceNotFound', `No operation is served at ${request.method} ${echo(path)}.`);
    }
    traceOf(request).error = error;
    // A buyer's browser on a hosted-page path gets a page, never JSON.
    if (isPagePath(path)) {
      const page = refused(error.status, error.message);
      return reply.code(page.status).headers(pageHeaders).send(page.body);
    }
    return reply.code(error.status).send(error.toBody());
  });
}
