import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run fuzz`: the long fuzz run and the kill -9 crash test, kept out of `npm test`.
export default defineConfig({
  resolve: {
    alias: { 'amazon-pay-mock': fileURLToPath(new URL('./server/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/fuzz/*.fuzz.ts'],
    // global.gc lets the fuzz run measure memory after collection.
    execArgv: ['--expose-gc'],
    testTimeout: 3_600_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
