/**
 * Writes a new RSA-2048 key pair for signing requests to the mock:
 *   node dist/scripts/generate-keys.js --out keys --id SANDBOX-MYSTORE0001 [--id LIVE-MYSTORE0001 ...]
 * The public key is written once per --id as <id>.pem (what the mock's keys directory expects),
 * the private key (PKCS#8) as <first id>-private.pem unless --private-key-file names it.
 */
import { generateKeyPairSync, randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isValidPublicKeyId } from '../server/signing/index.js';
import { runCli, UsageError } from './lib/cli.js';
import { shellQuote } from './lib/shell.js';

const usage = `Usage: node dist/scripts/generate-keys.js [--out DIR] [--id PUBLICKEYID]... [--private-key-file NAME] [--force]
  --out               directory to write to (default: keys)
  --id                publicKeyId to register the public key under; repeat for several (default: a random SANDBOX- id)
  --private-key-file  file name of the private key inside --out (default: <first id>-private.pem)
  --force             overwrite existing files`;

function randomKeyId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return `SANDBOX-${Array.from({ length: 24 }, () => alphabet[randomInt(alphabet.length)]).join('')}`;
}

runCli(usage, () => {
  const { values: flags } = parseArgs({
    args: process.argv.slice(2),
    options: {
      out: { type: 'string', default: 'keys' },
      id: { type: 'string', multiple: true },
      'private-key-file': { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (flags.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const ids = flags.id?.length ? flags.id : [randomKeyId()];
  for (const id of ids) if (!isValidPublicKeyId(id)) throw new UsageError(`--id ${id}: a publicKeyId is 1 to 64 characters from A-Z a-z 0-9 _ -`);
  const privateName = flags['private-key-file'] ?? `${ids[0]}-private.pem`;

  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  mkdirSync(flags.out, { recursive: true });
  // 'wx' refuses to overwrite: a lost private key cannot be recovered.
  const flag = flags.force ? 'w' : 'wx';
  const privateFile = path.join(flags.out, privateName);
  writeFileSync(privateFile, privateKey, { flag, mode: 0o600 });
  const publicFiles = ids.map((id) => {
    const file = path.join(flags.out, `${id}.pem`);
    writeFileSync(file, publicKey, { flag });
    return file;
  });

  const id = ids[0]!;
  const register = JSON.stringify({ publicKeyId: id, publicKey });
  process.stdout.write(
    [
      `Private key: ${privateFile}  (keep it out of version control unless it is a test key)`,
      ...publicFiles.map((file, i) => `Public key:  ${file}  (publicKeyId ${ids[i]})`),
      '',
      'Register the public key with the mock, either:',
      `  - start it with --keys-dir ${flags.out}  (every <publicKeyId>.pem there is loaded; private keys are skipped), or`,
      '  - at run time:',
      `    curl -sS -X POST http://127.0.0.1:8080/__admin/publicKeys -H 'content-type: application/json' --data-raw ${shellQuote(register)}`,
      '',
      'Then sign with it, e.g. the Node SDK:',
      `  new WebStoreClient({ publicKeyId: '${id}', privateKey: fs.readFileSync('${privateFile}'), region: 'us',`,
      `    algorithm: 'AMZN-PAY-RSASSA-PSS-V2', overrideServiceUrl: '127.0.0.1:8443' })`,
      `or: node dist/scripts/sign-request.js --key ${privateFile} --public-key-id ${id} --method POST --url https://127.0.0.1:8443/v2/checkoutSessions --body '{...}'`,
      '',
    ].join('\n'),
  );
});
