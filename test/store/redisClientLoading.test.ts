import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { buildApp } from '../../server/app.js';

const loadedIoredis = () => Object.keys(createRequire(import.meta.url).cache).filter((file) => /[\\/]ioredis[\\/]/.test(file));

describe('the Redis client at start-up', () => {
  it('is not loaded by an app on the memory or file store (it is loaded when a Redis store is made)', async () => {
    const app = await buildApp(loadConfig([], {}, { store: 'memory', logLevel: 'silent', scenariosDir: null }));
    try {
      expect(loadedIoredis()).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
