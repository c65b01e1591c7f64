import type { FastifyServerOptions } from 'fastify';
import { createRequire } from 'node:module';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type Builder = (...args: unknown[]) => unknown;

// Resolved from Fastify's own location: these are its dependencies, not ours.
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));

/** A builder that loads `pkg` (Fastify's factory of builders) on its first call. */
function onFirstUse(pkg: string): Builder {
  let builder: Builder | undefined;
  return (...args) => (builder ??= (fromFastify(pkg) as () => Builder)())(...args);
}

/**
 * Fastify's default validator (Ajv) and serializer (fast-json-stringify) compilers, loaded only
 * when a route first declares a JSON schema. The app's routes declare none (bodies are validated
 * by the domain's own schemas), and Fastify otherwise loads both at construction, about 30 ms of
 * every start.
 */
export const lazySchemaCompilers = {
  buildValidator: onFirstUse('@fastify/ajv-compiler'),
  buildSerializer: onFirstUse('@fastify/fast-json-stringify-compiler'),
} as CompilersFactory;
