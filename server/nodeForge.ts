import { createRequire } from 'node:module';
import type Forge from 'node-forge';

let forge: typeof Forge | undefined;

/**
 * node-forge, loaded on first use: only certificate generation and `--verifier forge` need it, and
 * loading it at start-up cost every start (including restarts over a large store) for nothing.
 */
export function nodeForge(): typeof Forge {
  forge ??= createRequire(import.meta.url)('node-forge') as typeof Forge;
  return forge;
}
