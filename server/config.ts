import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONVERSION_RATES, parseConversionRates } from './domain/conversion.js';
import { endpointProblem } from './ipn/ipnConfig.js';

/** Root of the installed package (one level above server/ or dist/server/). */
export const packageRoot = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!safeExists(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

function safeExists(file: string): boolean {
  try {
    readFileSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Every setting of the emulator. Built by `loadConfig` from defaults < config file < env < flags. */
export interface Config {
  host: string;
  http: boolean;
  httpPort: number;
  https: boolean;
  httpsPort: number;
  tlsCert: string | null;
  tlsKey: string | null;
  tlsNames: string[];
  proxyPassthrough: 'none' | 'loopback';
  dataDir: string;
  store: 'file' | 'memory' | 'redis';
  redisUrl: string;
  redisPrefix: string;
  dbFile: string | null;
  retentionDays: number;
  signature: 'on' | 'off';
  verifier: 'native' | 'forge';
  keysDir: string | null;
  clockSkewSeconds: number;
  envConflict: 'reject' | 'allow';
  buyerApproval: 'auto' | 'manual';
  scenariosDir: string | null;
  pendingDelaySeconds: number;
  conversionRates: string[];
  idempotencyKey: 'required' | 'optional';
  bodyLimit: number;
  publicUrl: string | null;
  seed: string | null;
  journalSize: number;
  ipnUrls: string[];
  ipnRetryDelaysMs: number[];
  ipnTimeoutMs: number;
  ipnSigned: boolean;
  adminToken: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

type Kind = 'string' | 'nullableString' | 'int' | 'bool' | 'list' | 'intList' | { oneOf: readonly string[] };

/** One row per option: the single source for parsing, validation, --help and the README table. */
export interface OptionSpec {
  key: keyof Config;
  flag: string;
  env: string;
  kind: Kind;
  default: unknown;
  description: string;
}

const env = (name: string) => `AMAZON_PAY_MOCK_${name}`;

export const options: readonly OptionSpec[] = [
  { key: 'host', flag: '--host', env: env('HOST'), kind: 'string', default: '127.0.0.1', description: 'Address both listeners bind to.' },
  { key: 'http', flag: '--http', env: env('HTTP'), kind: 'bool', default: true, description: 'Serve plain HTTP.' },
  { key: 'httpPort', flag: '--http-port', env: env('HTTP_PORT'), kind: 'int', default: 8080, description: 'HTTP port (0 picks a free one).' },
  { key: 'https', flag: '--https', env: env('HTTPS'), kind: 'bool', default: true, description: 'Serve HTTPS (the Node SDK speaks only HTTPS).' },
  { key: 'httpsPort', flag: '--https-port', env: env('HTTPS_PORT'), kind: 'int', default: 8443, description: 'HTTPS port (0 picks a free one).' },
  { key: 'tlsCert', flag: '--tls-cert', env: env('TLS_CERT'), kind: 'nullableString', default: null, description: 'PEM certificate to serve instead of the generated one (needs --tls-key).' },
  { key: 'tlsKey', flag: '--tls-key', env: env('TLS_KEY'), kind: 'nullableString', default: null, description: 'PEM private key of --tls-cert.' },
  { key: 'tlsNames', flag: '--tls-names', env: env('TLS_NAMES'), kind: 'list', default: [], description: 'Extra DNS names or IPs served over HTTPS, comma-separated; each gets a certificate from the local CA (adding names keeps the CA).' },
  { key: 'proxyPassthrough', flag: '--proxy-passthrough', env: env('PROXY_PASSTHROUGH'), kind: { oneOf: ['none', 'loopback'] }, default: 'none', description: 'Proxy targets other than the Amazon hosts and the mock itself (CONNECT, and absolute-form requests such as `GET http://localhost:3000/x`): `none` refuses them (403); `loopback` tunnels or forwards targets on this machine (localhost, 127.x, ::1), https:// ones without verifying their certificate.' },
  { key: 'dataDir', flag: '--data-dir', env: env('DATA_DIR'), kind: 'string', default: './data', description: 'Directory for the state file and the local CA (tls/ca.pem, kept across restarts).' },
  { key: 'store', flag: '--store', env: env('STORE'), kind: { oneOf: ['file', 'memory', 'redis'] }, default: 'file', description: '`file` keeps state in a snapshot file plus a write-ahead log; `memory` forgets it on exit; `redis` keeps it in Redis (--redis-url), shared by every mock pointed at the same one.' },
  { key: 'redisUrl', flag: '--redis-url', env: env('REDIS_URL'), kind: 'string', default: 'redis://127.0.0.1:6379/0', description: 'Redis for `--store redis`: `redis://[user:password@]host:port/db` (`rediss://` for TLS). Its persistence settings decide what survives a Redis restart.' },
  { key: 'redisPrefix', flag: '--redis-prefix', env: env('REDIS_PREFIX'), kind: 'string', default: 'amazon-pay-mock:', description: 'Prefix of every key the mock keeps in Redis; mocks with different prefixes keep separate states in one database.' },
  { key: 'dbFile', flag: '--db-file', env: env('DB_FILE'), kind: 'nullableString', default: null, description: 'State file (default `<dataDir>/db.json`).' },
  { key: 'retentionDays', flag: '--retention-days', env: env('RETENTION_DAYS'), kind: 'int', default: 30, description: 'Objects, idempotency keys, journal entries and IPN deliveries unchanged for this many days (real time) are removed; 0 keeps everything.' },
  { key: 'signature', flag: '--signature', env: env('SIGNATURE'), kind: { oneOf: ['on', 'off'] }, default: 'on', description: '`off` skips signature verification (a warning is printed at start-up).' },
  { key: 'verifier', flag: '--verifier', env: env('VERIFIER'), kind: { oneOf: ['native', 'forge'] }, default: 'native', description: 'RSA-PSS implementation: `native` (node:crypto) or `forge` (node-forge).' },
  { key: 'keysDir', flag: '--keys-dir', env: env('KEYS_DIR'), kind: 'nullableString', default: null, description: 'Extra directory of `<publicKeyId>.pem` public keys, loaded after fixtures/keys; a directory or key file it cannot use is logged as a warning.' },
  { key: 'clockSkewSeconds', flag: '--clock-skew-seconds', env: env('CLOCK_SKEW_SECONDS'), kind: 'int', default: 900, description: 'How far x-amz-pay-date may lag real time (not the movable server clock) before 400 InvalidHeaderValue.' },
  { key: 'envConflict', flag: '--env-conflict', env: env('ENV_CONFLICT'), kind: { oneOf: ['reject', 'allow'] }, default: 'reject', description: 'A key id prefix that disagrees with the /sandbox or /live path, or an unprefixed key on bare /v2: `reject` (400) or `allow`.' },
  { key: 'buyerApproval', flag: '--buyer-approval', env: env('BUYER_APPROVAL'), kind: { oneOf: ['auto', 'manual'] }, default: 'auto', description: '`auto` attaches a demo buyer at creation; `manual` waits for POST /__admin/checkoutSessions/{id}/approve.' },
  { key: 'scenariosDir', flag: '--scenarios-dir', env: env('SCENARIOS_DIR'), kind: 'nullableString', default: 'fixtures/scenarios', description: 'Directory of scripted-outcome files (*.json, *.yaml) loaded at start; relative to the package; a missing directory or a file it cannot use is logged as a warning.' },
  { key: 'pendingDelaySeconds', flag: '--pending-delay-seconds', env: env('PENDING_DELAY_SECONDS'), kind: 'int', default: 30, description: 'How long pending authorizations stay AuthorizationInitiated (server clock).' },
  { key: 'conversionRates', flag: '--conversion-rates', env: env('CONVERSION_RATES'), kind: 'list', default: [...DEFAULT_CONVERSION_RATES], description: 'Fixed rates (never live) for convertedAmount/conversionRate when an EU/UK merchant charges in another currency: comma-separated `CUR=rate`, the EUR value of one unit of CUR; a currency without a rate leaves both null.' },
  { key: 'idempotencyKey', flag: '--idempotency-key', env: env('IDEMPOTENCY_KEY'), kind: { oneOf: ['required', 'optional'] }, default: 'required', description: 'Whether create-type POSTs without x-amz-pay-idempotency-key get 400 MissingHeader.' },
  { key: 'bodyLimit', flag: '--body-limit', env: env('BODY_LIMIT'), kind: 'int', default: 1_048_576, description: 'Largest request body in bytes; larger gets 413 RequestEntityTooLarge.' },
  { key: 'publicUrl', flag: '--public-url', env: env('PUBLIC_URL'), kind: 'nullableString', default: null, description: 'Base URL of the mock as browsers reach it, used in amazonPayRedirectUrl (default https://<host>:<httpsPort>).' },
  { key: 'journalSize', flag: '--journal-size', env: env('JOURNAL_SIZE'), kind: 'int', default: 1000, description: 'How many calls the request journal keeps (oldest dropped first; 0 turns it off).' },
  { key: 'ipnUrls', flag: '--ipn-urls', env: env('IPN_URLS'), kind: 'list', default: [], description: 'Default IPN endpoints (comma-separated http(s) URLs) for merchants that set none with POST /__admin/ipn.' },
  { key: 'ipnRetryDelaysMs', flag: '--ipn-retry-delays-ms', env: env('IPN_RETRY_DELAYS_MS'), kind: 'intList', default: [1000, 5000, 25000], description: 'Waits before each IPN retry, comma-separated milliseconds (attempts = 1 + their number).' },
  { key: 'ipnTimeoutMs', flag: '--ipn-timeout-ms', env: env('IPN_TIMEOUT_MS'), kind: 'int', default: 5000, description: 'How long one IPN delivery attempt may take.' },
  { key: 'ipnSigned', flag: '--ipn-signed', env: env('IPN_SIGNED'), kind: 'bool', default: true, description: 'Sign IPN envelopes (SNS SignatureVersion 1) unless a merchant chooses otherwise.' },
  { key: 'adminToken', flag: '--admin-token', env: env('ADMIN_TOKEN'), kind: 'nullableString', default: null, description: 'Bearer token the control API (/__admin) requires; unset leaves it open (fine on loopback).' },
  { key: 'seed', flag: '--seed', env: env('SEED'), kind: 'nullableString', default: null, description: 'Seed for deterministic ids; unset uses crypto randomness.' },
  { key: 'logLevel', flag: '--log-level', env: env('LOG_LEVEL'), kind: { oneOf: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] }, default: 'info', description: 'Log level (one line per request at info).' },
];

/** Raised for a bad setting; main prints it and exits 2 instead of starting half-configured. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const defaults: Config = Object.fromEntries(options.map((o) => [o.key, o.default])) as unknown as Config;

function coerce(spec: OptionSpec, raw: unknown, from: string): unknown {
  const fail = (why: string) => new ConfigError(`${from}: ${why}`);
  const kind = spec.kind;
  if (kind === 'string') {
    if (typeof raw !== 'string' || raw === '') throw fail('expected a non-empty string');
    return raw;
  }
  if (kind === 'nullableString') {
    if (raw === null || raw === '') return null;
    if (typeof raw !== 'string') throw fail('expected a string');
    return raw;
  }
  if (kind === 'int') {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n) || n < 0) throw fail(`expected a whole number >= 0, got ${JSON.stringify(raw)}`);
    return n;
  }
  if (kind === 'bool') {
    if (typeof raw === 'boolean') return raw;
    if (typeof raw === 'string' && /^(true|1|on|yes)$/i.test(raw)) return true;
    if (typeof raw === 'string' && /^(false|0|off|no)$/i.test(raw)) return false;
    throw fail(`expected true or false, got ${JSON.stringify(raw)}`);
  }
  if (kind === 'list') {
    if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return raw;
    if (typeof raw === 'string') return raw.split(',').map((s) => s.trim()).filter(Boolean);
    throw fail('expected a comma-separated list');
  }
  if (kind === 'intList') {
    const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : null;
    const numbers = items?.map((x) => (typeof x === 'number' ? x : /^\d+$/.test(String(x)) ? Number(x) : NaN));
    if (!numbers || numbers.some((n) => !Number.isSafeInteger(n) || n < 0)) throw fail('expected comma-separated whole numbers >= 0');
    return numbers;
  }
  if (typeof raw !== 'string' || !kind.oneOf.includes(raw)) throw fail(`expected one of ${kind.oneOf.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw;
}

/** The longest delay a Node timer keeps (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function checkPorts(c: Config): void {
  for (const key of ['httpPort', 'httpsPort'] as const) {
    if (c[key] > 65535) throw new ConfigError(`${key}: ${c[key]} is not a TCP port`);
  }
  if ((c.tlsCert === null) !== (c.tlsKey === null)) throw new ConfigError('tlsCert and tlsKey go together: set both or neither');
  if (!c.http && !c.https) throw new ConfigError('both listeners are off: enable --http or --https');
  // Node's timers take at most 2^31-1 ms and fire a longer one after 1 ms: every delivery would time out.
  if (c.ipnTimeoutMs < 1 || c.ipnTimeoutMs > MAX_TIMER_MS) throw new ConfigError(`ipnTimeoutMs: ${c.ipnTimeoutMs} is out of range; give 1 to ${MAX_TIMER_MS} milliseconds`);
  if (c.publicUrl !== null) {
    const problem = endpointProblem(c.publicUrl);
    if (problem) throw new ConfigError(`publicUrl: ${JSON.stringify(c.publicUrl)} ${problem}; give the mock's base URL, e.g. https://127.0.0.1:8443`);
  }
  for (const url of c.ipnUrls) {
    const problem = endpointProblem(url);
    if (problem) throw new ConfigError(`ipnUrls: ${JSON.stringify(url)} ${problem}; give http(s) URLs, comma-separated`);
  }
  if (c.store === 'redis' && !/^rediss?:\/\/[^/?#\s]+(?:\/\d{1,5})?\/?$/.test(c.redisUrl)) {
    throw new ConfigError(`redisUrl: expected redis://[user:password@]host:port/db, got ${JSON.stringify(c.redisUrl.replace(/:[^:@/]*@/, ':***@'))}`);
  }
}

/** Parses command-line flags (`--name value`, `--name=value`, bare `--bool-flag`, `--no-bool-flag`). */
export function parseFlags(argv: readonly string[]): { values: Partial<Record<keyof Config, unknown>>; configFile: string | null; help: boolean } {
  const values: Partial<Record<keyof Config, unknown>> = {};
  let configFile: string | null = null;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    if (name === '--config') {
      configFile = inline ?? argv[++i] ?? null;
      if (!configFile) throw new ConfigError('--config needs a file');
      continue;
    }
    const negated = name.startsWith('--no-') ? options.find((o) => o.flag === `--${name.slice(5)}` && o.kind === 'bool') : undefined;
    if (negated) {
      values[negated.key] = false;
      continue;
    }
    const spec = options.find((o) => o.flag === name);
    if (!spec) throw new ConfigError(`unknown flag ${name} (see --help)`);
    if (spec.kind === 'bool' && inline === undefined && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--'))) {
      values[spec.key] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ConfigError(`${name} needs a value`);
    values[spec.key] = coerce(spec, value, name);
  }
  return { values, configFile, help };
}

/**
 * Builds the Config: defaults, then a JSON config file (`--config` or AMAZON_PAY_MOCK_CONFIG),
 * then environment variables, then flags. Throws ConfigError on anything it cannot use.
 */
export function loadConfig(argv: readonly string[] = [], environment: NodeJS.ProcessEnv = {}, overrides: Partial<Config> = {}): Config {
  const flags = parseFlags(argv);
  const config: Record<string, unknown> = { ...defaults };
  const file = flags.configFile ?? environment[env('CONFIG')] ?? null;
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`config file ${file}: ${(err as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`config file ${file}: expected a JSON object`);
    for (const [key, raw] of Object.entries(parsed)) {
      const spec = options.find((o) => o.key === key);
      if (!spec) throw new ConfigError(`config file ${file}: unknown option "${key}"`);
      config[key] = coerce(spec, raw, `${file}: ${key}`);
    }
  }
  for (const spec of options) {
    const raw = environment[spec.env];
    if (raw !== undefined && raw !== '') config[spec.key] = coerce(spec, raw, spec.env);
  }
  Object.assign(config, flags.values, overrides);
  checkPorts(config as unknown as Config);
  try {
    parseConversionRates(config.conversionRates as string[]);
  } catch (err) {
    throw new ConfigError(`conversionRates: ${(err as Error).message}`);
  }
  return config as unknown as Config;
}

/** The state file path a Config resolves to. */
export function dbFilePath(c: Config): string {
  return c.dbFile ?? path.join(c.dataDir, 'db.json');
}

/** The URL browsers and IPN receivers use to reach the mock (hosted pages, signing certificate). */
export function publicUrlOf(config: Config): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return config.https ? `https://${host}:${config.httpsPort}` : `http://${host}:${config.httpPort}`;
}

/** Resolves a path from the config: absolute stays, relative is taken from the package root for fixtures. */
export function packagePath(p: string): string {
  return path.isAbsolute(p) ? p : path.join(packageRoot, p);
}

/** Text for --help, generated from the option table. */
export function helpText(): string {
  const rows = options.map((o) => `  ${o.flag.padEnd(24)} ${o.env.padEnd(40)} ${o.description} (default: ${JSON.stringify(o.default)})`);
  return ['Usage: amazon-pay-mock [--config file.json] [flags]', '', '  flag                     environment variable', ...rows].join('\n');
}
