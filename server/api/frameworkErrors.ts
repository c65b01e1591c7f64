import { traceOf } from './callTrace.js';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AmazonPayError, apiError } from '../domain/errors.js';
import { badRequest } from '../html/errorPage.js';
import { pageHeaders } from '../html/html.js';

/** Paths of the hosted buyer pages: a browser is on the other end, so errors there are HTML. */
export function isPagePath(url: string | undefined): boolean {
  return /^\/checkout(?:[/?#]|$)/.test(url ?? '');
}

/** The Amazon-shaped answer to an error the router raises before any route runs. */
export function routerError(error: FastifyError): AmazonPayError {
  switch (error.code) {
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // No object has an id that long; a shorter unknown id is a 404 too.
      return apiError('ResourceNotFound', 'No object has an id that long (path parameters are at most 2048 characters).');
    case 'FST_ERR_BAD_URL':
      return apiError('InvalidRequest', 'The request path has an invalid percent-escape (a % must be followed by two hexadecimal digits of valid UTF-8).');
    default:
      return apiError('InvalidRequest', 'The request could not be routed.');
  }
}

/**
 * Fastify's `frameworkErrors`: a malformed percent-escape or an over-long path parameter, found
 * while routing. Answered like any other error (Amazon's JSON, or a page for a buyer's browser);
 * the app's hooks do not run for these, so the request id is set here.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const amazon = routerError(error);
  traceOf(request).error = amazon;
  reply.header('x-amz-pay-request-id', request.id);
  if (isPagePath(request.raw.url)) {
    const page = badRequest('The address of this page is not valid.');
    void reply.code(page.status).headers(pageHeaders).send(page.body);
    return;
  }
  void reply.code(amazon.status).type('application/json; charset=utf-8').send(amazon.toBody());
}
