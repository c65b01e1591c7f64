import { ConfigError, loadConfig, type Config } from './config.js';
import { urlHost } from './server.js';
import { loadOrCreateAuthority, type CertificateAuthority } from './tls/certificateAuthority.js';

/** How `amazon-pay-mock env` writes its settings. */
export type EnvFormat = 'sh' | 'dotenv';

export interface EnvSettings {
  /** Variable name → value, in print order. */
  variables: Array<[string, string]>;
  /**
   * The keytool command that builds a Java truststore from the CA, how the JVM then uses it, and the
   * Java SDK's proxy setting (its Apache client does not read the JVM's https.proxyHost/Port).
   */
  java: { keytool: string; run: string; proxySettings: string };
}

/** The JKS file the printed keytool command creates (in the current directory). */
export const javaTruststore = 'amazon-pay-mock-truststore.jks';

/**
 * The settings that send unmodified clients to this mock: HTTPS_PROXY (the HTTP listener, which
 * intercepts CONNECT to the Amazon hosts) and the files that make them trust the local CA.
 */
export function envSettings(config: Pick<Config, 'host' | 'httpPort'>, ca: Pick<CertificateAuthority, 'file' | 'bundleFile'>, proxyUrl?: string): EnvSettings {
  const proxy = proxyUrl ?? `http://${urlHost(config.host)}:${config.httpPort}`;
  const noProxy = 'localhost,127.0.0.1,::1';
  const url = new URL(proxy);
  return {
    variables: [
      ['HTTPS_PROXY', proxy],
      ['https_proxy', proxy],
      ['NO_PROXY', noProxy],
      ['no_proxy', noProxy],
      // OpenSSL-based clients (Ruby, Python's ssl, .NET on Linux) read SSL_CERT_FILE instead of the
      // system bundle, so it gets the CA plus the public roots, not the CA alone.
      ['SSL_CERT_FILE', ca.bundleFile],
      ['NODE_EXTRA_CA_CERTS', ca.file],
      ['CURL_CA_BUNDLE', ca.bundleFile],
      ['REQUESTS_CA_BUNDLE', ca.bundleFile],
    ],
    java: {
      keytool: `keytool -importcert -noprompt -alias amazon-pay-mock-ca -file ${shellQuote(ca.file)} -keystore ${javaTruststore} -storepass changeit`,
      run: `java -Djavax.net.ssl.trustStore=${javaTruststore} -Djavax.net.ssl.trustStorePassword=changeit ...`,
      proxySettings: `payConfiguration.setProxySettings(new ProxySettings().setProxyHost(${JSON.stringify(url.hostname.replace(/^\[(.*)\]$/, '$1'))}).setProxyPort(${url.port || '80'}).setProxyUser("mock").setProxyPassword("mock".toCharArray()))`,
    },
  };
}

/**
 * The settings as text: `export NAME='value'` lines with comments on Ruby, Java and undoing (sh), or
 * `NAME=value` lines and nothing else (dotenv): GitHub's runner reads every line of $GITHUB_ENV as a
 * variable and fails the step on a line without `=`.
 */
export function formatEnv(settings: EnvSettings, format: EnvFormat): string {
  if (format === 'dotenv') return `${settings.variables.map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
  const lines = ['# amazon-pay-mock: send HTTPS clients through the mock and trust its local CA. Apply with: eval "$(amazon-pay-mock env)"', ...settings.variables.map(([k, v]) => `export ${k}=${shellQuote(v)}`)];
  const proxy = settings.variables[0]![1];
  lines.push(
    `# Ruby: Net::HTTP looks up http_proxy (not https_proxy) for https:// URLs too, so also set http_proxy=${proxy}`,
    '# Java: build a truststore from the CA once and give it to the JVM:',
    `#   ${settings.java.keytool}`,
    `#   ${settings.java.run}`,
    "# and the proxy to the SDK, which ignores -Dhttps.proxyHost (it needs a user and password: any will do):",
    `#   ${settings.java.proxySettings}`,
    '# Undo: unset HTTPS_PROXY https_proxy NO_PROXY no_proxy SSL_CERT_FILE NODE_EXTRA_CA_CERTS CURL_CA_BUNDLE REQUESTS_CA_BUNDLE',
  );
  return `${lines.join('\n')}\n`;
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `amazon-pay-mock env [--format sh|dotenv] [--proxy-url URL] [server flags]`: creates the CA if
 * the data dir has none yet (so the printed files exist) and prints the settings to stdout.
 */
export async function runEnvCommand(argv: readonly string[], environment: NodeJS.ProcessEnv, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const rest: string[] = [];
  let format: EnvFormat = 'sh';
  let proxyUrl: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (name === '--format' || name === '--proxy-url') {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new ConfigError(`${name} needs a value`);
      if (name === '--format') {
        if (value !== 'sh' && value !== 'dotenv') throw new ConfigError(`--format: expected sh or dotenv, got ${JSON.stringify(value)}`);
        format = value;
      } else {
        if (!/^https?:\/\/[^/]+\/?$/.test(value)) throw new ConfigError(`--proxy-url: expected http://host:port, got ${JSON.stringify(value)}`);
        proxyUrl = value.replace(/\/$/, '');
      }
      continue;
    }
    rest.push(arg);
  }
  const config = loadConfig(rest, environment);
  if (!config.http) throw new ConfigError('http: the intercepting proxy runs on the HTTP listener, so with it off there is no HTTPS_PROXY to print');
  if (config.httpPort === 0 && proxyUrl === undefined) {
    throw new ConfigError('httpPort 0 means a free port picked when the server starts, so there is no HTTPS_PROXY to print: give the port it got with --proxy-url http://127.0.0.1:<port> (the start-up summary shows it), or a fixed --http-port');
  }
  const ca = await loadOrCreateAuthority(config.dataDir);
  out.write(formatEnv(envSettings(config, ca, proxyUrl), format));
}

/** The lines --help adds for the env command. */
export const envHelp = [
  'Usage: amazon-pay-mock env [--format sh|dotenv] [--proxy-url http://host:port] [--data-dir dir] [--http-port n]',
  '  Prints HTTPS_PROXY, SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, CURL_CA_BUNDLE, REQUESTS_CA_BUNDLE (and the keytool',
  '  command for a Java truststore) for a shell: eval "$(npx amazon-pay-mock env)". Creates the CA if needed.',
].join('\n');
