declare module 'fastify' {
  interface FastifyRequest {
    /** Merchant namespace of the caller, once known (journal, admin filters). */
    merchant?: string;
    /** The caller's public key id, once known. */
    publicKeyId?: string;
    /** The emulated operation this request is for. */
    operation?: string;
    /** Name of the scenario rule that answered this call, if any. */
    scenario?: string;
    /** The answer's body as sent, kept for the request journal. */
    responsePayload?: unknown;
    /** True when the answer was an idempotent replay. */
    replayed?: boolean;
  }
}

export {};

declare module 'fastify' {
  interface FastifyRequest {
    /** The Amazon-shaped error this request was answered with, if any. */
    amazonError?: import('../domain/errors.js').AmazonPayError;
  }
}
