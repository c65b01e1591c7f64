import type { FastifyReply } from 'fastify';

/** Content-Type of every JSON answer, exactly as Amazon Pay sends it (no charset parameter; bodies are UTF-8). */
export const AMAZON_JSON = 'application/json';

/**
 * Sends a JSON text with Amazon's Content-Type. As a Buffer, because Fastify appends
 * "; charset=utf-8" to a JSON type it is given with a string.
 */
export function sendAmazonJson(reply: FastifyReply, status: number, json: string): FastifyReply {
  return reply.code(status).type(AMAZON_JSON).send(Buffer.from(json, 'utf8'));
}
