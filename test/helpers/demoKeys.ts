import { readFileSync } from 'node:fs';
import { packagePath } from '../../server/config.js';

/** The demo key pair shipped in fixtures/keys (public knowledge, tests only). */
export const demoPrivateKey = readFileSync(packagePath('fixtures/keys/demo-private.pem'), 'utf8');
export const demoKeyIds = {
  sandbox: 'SANDBOX-AMZNPAYMOCKDEMO000000001',
  live: 'LIVE-AMZNPAYMOCKDEMO000000001',
  unprefixed: 'AMZNPAYMOCKDEMO000000001',
} as const;
