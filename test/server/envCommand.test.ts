import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../server/config.js';
import { runEnvCommand } from '../../server/envCommand.js';
import { tlsPaths } from '../../server/tls/tlsFiles.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'apm-env-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function env(args: string[], environment: NodeJS.ProcessEnv = {}): Promise<string> {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, done) {
      text += chunk;
      done();
    },
  });
  await runEnvCommand(args, environment, out);
  return text;
}

describe('amazon-pay-mock env', () => {
  it('prints the proxy, the CA files (creating the CA) and the keytool command for a shell', async () => {
    const text = await env(['--data-dir', dataDir, '--http-port', '18080']);
    const paths = tlsPaths(dataDir);
    expect(await readFile(paths.caCert, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    for (const line of [
      'export HTTPS_PROXY=http://127.0.0.1:18080',
      'export https_proxy=http://127.0.0.1:18080',
      'export NO_PROXY=localhost,127.0.0.1,::1',
      `export SSL_CERT_FILE=${paths.bundle}`,
      `export NODE_EXTRA_CA_CERTS=${paths.caCert}`,
      `export CURL_CA_BUNDLE=${paths.bundle}`,
      `export REQUESTS_CA_BUNDLE=${paths.bundle}`,
    ]) {
      expect(text.split('\n')).toContain(line);
    }
    expect(text).toContain(`keytool -importcert -noprompt -alias amazon-pay-mock-ca -file ${paths.caCert} -keystore amazon-pay-mock-truststore.jks -storepass changeit`);
    // The Java SDK's Apache client ignores the JVM's proxy properties: the proxy goes to PayConfiguration.
    expect(text).toContain('java -Djavax.net.ssl.trustStore=amazon-pay-mock-truststore.jks -Djavax.net.ssl.trustStorePassword=changeit ...');
    expect(text).toContain('setProxySettings(new ProxySettings().setProxyHost("127.0.0.1").setProxyPort(18080)');
    expect(text.split('\n').filter((l) => l.includes('-Dhttps.proxyHost=') || l.includes('-Dhttps.proxyPort='))).toEqual([]);
    expect(text).toMatch(/# Undo: unset HTTPS_PROXY .*REQUESTS_CA_BUNDLE/);
  });

  it('prints what a POSIX shell can eval: the variables come out as printed', async () => {
    const text = await env(['--data-dir', dataDir]);
    const sh = spawnSync('sh', ['-c', `${text}\nprintf '%s|%s' "$HTTPS_PROXY" "$NODE_EXTRA_CA_CERTS"`], { encoding: 'utf8' });
    expect(sh.stdout).toBe(`http://127.0.0.1:8080|${tlsPaths(dataDir).caCert}`);
  });

  it('prints NAME=value lines with --format dotenv (for $GITHUB_ENV or docker --env-file), honours --proxy-url and the config env vars', async () => {
    const text = await env(['--format', 'dotenv', '--proxy-url', 'http://amazon-pay-mock:8080'], { AMAZON_PAY_MOCK_DATA_DIR: dataDir });
    const vars = text.split('\n').filter((l) => l);
    expect(vars[0]).toBe('HTTPS_PROXY=http://amazon-pay-mock:8080');
    expect(vars).toContain(`SSL_CERT_FILE=${tlsPaths(dataDir).bundle}`);
    expect(vars.every((l) => /^[A-Za-z_]+=\S+$/.test(l))).toBe(true);
  });

  it('prints nothing but NAME=value lines with --format dotenv: $GITHUB_ENV takes no comments', async () => {
    // GitHub's runner reads every non-empty line of $GITHUB_ENV as NAME=value or NAME<<DELIMITER:
    // a line without '=' fails the step, and a comment with '=' in it sets a variable named '# ...'.
    const text = await env(['--format', 'dotenv', '--data-dir', dataDir]);
    const lines = text.split('\n').filter((l) => l !== '');
    expect(lines.filter((l) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(l))).toEqual([]);
    expect(lines.map((l) => l.slice(0, l.indexOf('=')))).toEqual([
      'HTTPS_PROXY',
      'https_proxy',
      'NO_PROXY',
      'no_proxy',
      'SSL_CERT_FILE',
      'NODE_EXTRA_CA_CERTS',
      'CURL_CA_BUNDLE',
      'REQUESTS_CA_BUNDLE',
    ]);
  });

  it('keeps the CA it finds, and refuses bad options clearly', async () => {
    await env(['--data-dir', dataDir]);
    const first = await readFile(tlsPaths(dataDir).caCert, 'utf8');
    await env(['--data-dir', dataDir, '--tls-names', 'shop.test']);
    expect(await readFile(tlsPaths(dataDir).caCert, 'utf8')).toBe(first);
    await expect(env(['--format', 'fish', '--data-dir', dataDir])).rejects.toThrow(ConfigError);
    await expect(env(['--proxy-url', 'ftp://x', '--data-dir', dataDir])).rejects.toThrow(/--proxy-url/);
    await expect(env(['--no-http', '--data-dir', dataDir])).rejects.toThrow(/no HTTPS_PROXY/);
  });

  it('refuses --http-port 0 (the port is only picked when a server starts) unless --proxy-url names the real one', async () => {
    await expect(env(['--data-dir', dataDir, '--http-port', '0'])).rejects.toThrow(/httpPort 0 .*--proxy-url/);
    await expect(env(['--data-dir', dataDir], { AMAZON_PAY_MOCK_HTTP_PORT: '0' })).rejects.toThrow(ConfigError);
    expect(await env(['--data-dir', dataDir, '--http-port', '0', '--proxy-url', 'http://127.0.0.1:41234', '--format', 'dotenv'])).toContain('HTTPS_PROXY=http://127.0.0.1:41234\n');
  });
});
