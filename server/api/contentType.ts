import type { FastifyReply } from 'fastify';

/** Content-Type of every JSON answer, exactly as Amazon Pay sends it (no charset parameter; bodies are UTF-8). */
export const AMAZON_JSON = 'application/json';

/**
 * Sends a JSON text with Amazon's Content-Type. As a Buffer, because Fastify appends
 * "; charset=utf-8" to a JSON type it is given with a string. Answers without a body (the 204
 * and 202 of the merchant-account operations) carry no Content-Type either.
 */
export function sendAmazonJson(reply: FastifyReply, status: number, json: string | Buffer | undefined): FastifyReply {
  if (json === undefined) return reply.code(status).send();
  return reply.code(status).type(AMAZON_JSON).send(typeof json === 'string' ? Buffer.from(json, 'utf8') : json);
}
