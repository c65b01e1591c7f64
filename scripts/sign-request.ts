/**
 * Prints a signed curl command for any request to the mock:
 *   node dist/scripts/sign-request.js --method POST --url https://127.0.0.1:8443/v2/checkoutSessions \
 *     --body '{"storeId":"..."}' [--key fixtures/keys/demo-private.pem] [--public-key-id SANDBOX-...]
 * The signature is good for the mock's clock-skew window (15 minutes by default) from now.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { packagePath } from '../server/config.js';
import { isSigningAlgorithm, signRequest, SIGNING_ALGORITHMS } from '../server/signing/index.js';
import { runCli, UsageError } from './lib/cli.js';
import { curlCommand } from './lib/shell.js';

const usage = `Usage: node dist/scripts/sign-request.js --url URL [options]
  --method         HTTP method (default: GET, or POST when --body is given)
  --url            absolute URL, e.g. https://127.0.0.1:8443/v2/checkoutSessions
  --body           request body, or @file to read it from a file
  --key            private key PEM file (default: fixtures/keys/demo-private.pem)
  --public-key-id  publicKeyId of that key (default: SANDBOX-AMZNPAYMOCKDEMO000000001)
  --algorithm      ${SIGNING_ALGORITHMS.join(' | ')} (default: AMZN-PAY-RSASSA-PSS)
  --header         extra signed header "name:value"; repeat for several (e.g. x-amz-pay-idempotency-key:abc123)
  --region         x-amz-pay-region (default: na)
  --date-format    iso (Node SDK) | compact (other SDKs) (default: iso)
  --explain        also print the canonical request and string to sign (to stderr)`;

runCli(usage, () => {
  const { values: flags } = parseArgs({
    args: process.argv.slice(2),
    options: {
      method: { type: 'string' },
      url: { type: 'string' },
      body: { type: 'string' },
      key: { type: 'string' },
      'public-key-id': { type: 'string', default: 'SANDBOX-AMZNPAYMOCKDEMO000000001' },
      algorithm: { type: 'string', default: 'AMZN-PAY-RSASSA-PSS' },
      header: { type: 'string', multiple: true },
      region: { type: 'string', default: 'na' },
      'date-format': { type: 'string', default: 'iso' },
      explain: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (flags.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (!flags.url) throw new UsageError('--url is required');
  if (!URL.canParse(flags.url)) throw new UsageError(`--url ${flags.url}: not an absolute URL`);
  if (!isSigningAlgorithm(flags.algorithm)) throw new UsageError(`--algorithm must be ${SIGNING_ALGORITHMS.join(' or ')}`);
  const dateFormat = flags['date-format'];
  if (dateFormat !== 'iso' && dateFormat !== 'compact') throw new UsageError('--date-format must be iso or compact');

  const headers: Record<string, string> = {};
  for (const header of flags.header ?? []) {
    const colon = header.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header ${header}: expected name:value`);
    headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
  }
  const body = flags.body?.startsWith('@') ? readFileSync(flags.body.slice(1), 'utf8') : flags.body;
  const method = (flags.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
  const keyFile = flags.key ?? packagePath('fixtures/keys/demo-private.pem');

  const signed = signRequest({
    method,
    url: flags.url,
    body: body ?? '',
    headers,
    privateKey: readFileSync(keyFile, 'utf8'),
    publicKeyId: flags['public-key-id'],
    algorithm: flags.algorithm,
    region: flags.region,
    dateFormat,
  });
  if (flags.explain) process.stderr.write(`Canonical request:\n${signed.canonicalRequest}\n\nString to sign:\n${signed.stringToSign}\n\n`);
  process.stdout.write(`${curlCommand({ method, url: signed.url, headers: signed.headers, body })}\n`);
});
