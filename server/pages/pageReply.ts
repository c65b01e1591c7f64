import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AmazonPayError } from '../domain/errors.js';
import { badRequest, internalError, PageFailure, refused } from '../html/errorPage.js';
import { FormError } from '../html/forms.js';
import { pageHeaders } from '../html/html.js';
import { locationHeader } from '../html/returnUrls.js';
import { storeUnavailable, StoreUnavailableError } from '../store/errors.js';

/** How a page handler answers: a whole HTML page with its status, or a 303 to another page. */
export type PageReply = { status: number; body: string } | { redirect: string };

/** Anything a page handler throws, as the HTML page to answer with (never Amazon's JSON). */
export function failurePage(err: unknown, request: FastifyRequest): PageFailure {
  if (err instanceof PageFailure) return err;
  if (err instanceof FormError) return badRequest(err.message);
  if (err instanceof AmazonPayError && err.status < 500) return refused(err.status, err.message);
  // A store that cannot be reached or written (a full disk, Redis away): 503, nothing changed, as the API answers.
  if (err instanceof StoreUnavailableError) {
    const unavailable = storeUnavailable();
    return refused(unavailable.status, `${unavailable.reasonCode}: ${unavailable.message}`);
  }
  const fastifyError = err as Partial<FastifyError>;
  if (!(err instanceof AmazonPayError) && typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return refused(fastifyError.statusCode, fastifyError.message ?? 'The request could not be read.');
  }
  request.log.error({ err }, 'hosted page failed');
  return internalError();
}

export function send(reply: FastifyReply, result: PageReply): FastifyReply {
  if ('redirect' in result) return reply.code(303).header('location', locationHeader(result.redirect)).header('cache-control', 'no-store').send();
  return reply.code(result.status).headers(pageHeaders).send(result.body);
}

/** A page handler: its answer, or the page for what it threw. */
export function page(handler: (request: FastifyRequest) => Promise<PageReply>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    let result: PageReply;
    try {
      result = await handler(request);
    } catch (err) {
      const failure = failurePage(err, request);
      result = { status: failure.status, body: failure.body };
    }
    return send(reply, result);
  };
}

/** Errors raised before a handler runs (a body over the size limit, a bad Content-Length), as pages too. */
export function pageErrorHandler(this: unknown, error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const failure = failurePage(error, request);
  return send(reply, { status: failure.status, body: failure.body });
}
