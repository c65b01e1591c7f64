import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packagePath } from '../../server/config.js';
import { envSettings } from '../../server/envCommand.js';
import { demoKeyIds } from '../helpers/demoKeys.js';
import { liveServer, type LiveServer } from '../helpers/runningServer.js';
import { hasCommand } from './proxyKit.js';

// Clients in other languages, each with no setting but the environment `amazon-pay-mock env` prints
// (or, for Java, its keytool truststore and the proxy the SDK's ProxySettings would give).
const clients = path.join(path.dirname(fileURLToPath(import.meta.url)), 'clients');
const keyFile = packagePath('fixtures/keys/demo-private.pem');

const phpWithCurl = hasCommand('php') && hasCommand('php', '-r exit(function_exists("curl_init") ? 0 : 1);');
const ruby = hasCommand('ruby');
const java = hasCommand('java') && hasCommand('keytool', '-help');
for (const [name, present, packages] of [
  ['PHP with the curl extension', phpWithCurl, 'php-cli php-curl'],
  ['Ruby', ruby, 'ruby'],
  ['Java (java + keytool)', java, 'default-jdk-headless'],
] as const) {
  if (!present) console.warn(`languageClients: ${name} is not installed here, so its proxy test is skipped (Debian: apt-get install ${packages})`);
}

let live: LiveServer;
let work: string;

beforeAll(async () => {
  live = await liveServer();
  work = await mkdtemp(path.join(tmpdir(), 'apm-clients-'));
});

afterAll(async () => {
  await live?.close();
  await rm(work, { recursive: true, force: true });
});

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // A clean proxy environment: only what each test sets.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(https?_proxy|no_proxy|all_proxy|ssl_cert_file|curl_ca_bundle)$/i.test(k)));
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: work, env: { ...base, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function settings() {
  return envSettings(live.server.http ? { host: '127.0.0.1', httpPort: live.server.http.port } : { host: '127.0.0.1', httpPort: 0 }, live.server.ca);
}

async function expectServedThroughProxy(stdout: string, host: string): Promise<void> {
  const result = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(result).toMatchObject({ create: 201, get: 200 });
  const journal = await live.admin('GET', `/__admin/requests?objectId=${result.checkoutSessionId}`);
  const entries = journal.body.requests ?? journal.body;
  expect(entries.map((e: any) => [e.operation, e.status, e.proxy])).toEqual([
    ['getCheckoutSession', 200, { host, mode: 'connect' }],
    ['createCheckoutSession', 201, { host, mode: 'connect' }],
  ]);
}

describe('clients in other languages through the intercepting proxy, trusting only the local CA', () => {
  it.skipIf(!phpWithCurl)('PHP (curl extension, port 443 as the PHP SDK forces): https_proxy + curl.cainfo', async () => {
    const s = settings();
    const proxy = s.variables.find(([k]) => k === 'https_proxy')![1];
    const bundle = s.variables.find(([k]) => k === 'CURL_CA_BUNDLE')![1];
    const r = await run('php', ['-d', `curl.cainfo=${bundle}`, path.join(clients, 'signingClient.php'), 'pay-api.amazon.eu', 'eu', demoKeyIds.sandbox, keyFile], { https_proxy: proxy });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await expectServedThroughProxy(r.stdout, 'pay-api.amazon.eu');
  }, 60_000);

  it.skipIf(!ruby)('Ruby (Net::HTTP.start as the Ruby SDK calls it): http_proxy + SSL_CERT_FILE', async () => {
    const s = settings();
    // Net::HTTP finds its proxy under http_proxy even for https:// URLs (`env` says so).
    const env = { http_proxy: s.variables.find(([k]) => k === 'https_proxy')![1], SSL_CERT_FILE: s.variables.find(([k]) => k === 'SSL_CERT_FILE')![1] };
    const r = await run('ruby', [path.join(clients, 'signing_client.rb'), 'pay-api.amazon.jp', 'jp', demoKeyIds.sandbox, keyFile], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await expectServedThroughProxy(r.stdout, 'pay-api.amazon.jp');
  }, 60_000);

  it.skipIf(!java)("Java's HttpClient: the keytool truststore `env` prints, and the proxy", async () => {
    const s = settings();
    const keytool = await run('sh', ['-c', s.java.keytool], {});
    expect(keytool.code, keytool.stderr).toBe(0);
    const r = await run(
      'java',
      [
        '-Djavax.net.ssl.trustStore=amazon-pay-mock-truststore.jks',
        '-Djavax.net.ssl.trustStorePassword=changeit',
        path.join(clients, 'SigningClient.java'),
        '127.0.0.1',
        String(live.server.http!.port),
        'pay-api.amazon.com',
        'na',
        demoKeyIds.sandbox,
        keyFile,
      ],
      {},
    );
    expect(r.code, r.stderr).toBe(0);
    await expectServedThroughProxy(r.stdout, 'pay-api.amazon.com');
  }, 120_000);

  it.skipIf(!ruby)('Ruby without the CA fails the handshake, and the mock keeps serving (what the Ruby SDK would turn into nil)', async () => {
    const r = await run('ruby', [path.join(clients, 'signing_client.rb'), 'pay-api.amazon.com', 'na', demoKeyIds.sandbox, keyFile], {
      http_proxy: live.server.http!.url,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/certificate verify failed/);
    const health = await live.admin('GET', '/__admin/health');
    expect(health.status).toBe(200);
  }, 60_000);
});
