import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests import the package by its name, as users do; it resolves to the sources here.
    alias: { 'amazon-pay-mock': fileURLToPath(new URL('./server/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two cores: keep workers bounded so servers started by tests do not starve each other.
    maxWorkers: 2,
  },
});
