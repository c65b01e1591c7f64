import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// A private outDir inside the repo (so node_modules and package.json resolve) keeps this test from
// racing other builds of dist/ and from replacing a dist/ someone is running.
// It is laid out as an installable package (package.json, dist/, fixtures) so `bin` can be tried too.
const packageDir = path.join(root, '.vitest-tmp', `main-build-${process.pid}`);
const outDir = path.join(packageDir, 'dist');
const mainJs = path.join(outDir, 'server', 'main.js');
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'apm-main-'));
  // Exactly `npm run build` (tsc, then the bundler), redirected. Type errors elsewhere in the tree still emit JavaScript.
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--outDir', outDir], {
    cwd: root,
    encoding: 'utf8',
  });
  if (!existsSync(mainJs)) throw new Error(`tsc did not produce ${mainJs}:\n${tsc.stdout}${tsc.stderr}${tsc.error ?? ''}`);
  // The second half of `npm run build`, and all of `npm start`'s prestart: the bundle, written into outDir.
  const bundle = spawnSync(path.join(root, 'node_modules', '.bin', 'esbuild'), bundleArgs().map((a) => a.replace(/^--outfile=dist\//, `--outfile=${outDir}/`)), { cwd: root, encoding: 'utf8' });
  if (bundle.status !== 0) throw new Error(`bundling ${mainJs} failed:\n${bundle.stdout}${bundle.stderr}`);
  await copyFile(path.join(root, 'package.json'), path.join(packageDir, 'package.json'));
  await symlink(path.join(root, 'fixtures'), path.join(packageDir, 'fixtures'));
  await symlink(path.join(root, 'openapi.yaml'), path.join(packageDir, 'openapi.yaml'));
});

/** The package's scripts. */
function scripts(): Record<string, string> {
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
}

/** The arguments of esbuild in npm start's prestart (also the end of `npm run build`). */
function bundleArgs(): string[] {
  const [command, ...args] = scripts().prestart!.split(/\s+/);
  if (command !== 'esbuild') throw new Error(`prestart is not an esbuild command: ${scripts().prestart}`);
  return args;
}

afterAll(async () => {
  await rm(packageDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcessWithoutNullStreams;
  lines: Array<Record<string, unknown>>;
  stderr(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [mainJs, ...args], { cwd: root, env: { ...process.env, NODE_ENV: 'production' } });
  const lines: Array<Record<string, unknown>> = [];
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    let nl: number;
    while ((nl = out.indexOf('\n')) !== -1) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ text: line });
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, lines, stderr: () => err, exit };
}

async function waitForLine(r: Run, match: (line: Record<string, unknown>) => boolean, timeoutMs = 15_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = r.lines.find(match);
    if (found) return found;
    if (r.child.exitCode !== null) throw new Error(`process exited (${r.child.exitCode}) before the line: ${JSON.stringify(r.lines)} ${r.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no matching line within ${timeoutMs} ms: ${JSON.stringify(r.lines)} ${r.stderr()}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

const msg = (line: Record<string, unknown>) => String(line.msg ?? line.text ?? '');

describe('main (compiled, as `npm start` runs it)', () => {
  it('starts both listeners, logs one summary with their URLs, answers, and stops cleanly on SIGTERM', async () => {
    const r = run(['--http-port', '0', '--https-port', '0', '--data-dir', dataDir, '--store', 'memory', '--signature', 'off']);
    try {
      const summary = await waitForLine(r, (l) => msg(l).includes('listening'));
      const httpUrl = summary.http as string;
      const httpsUrl = summary.https as string;
      expect(httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(msg(summary)).toBe(`amazon-pay-mock listening on ${httpUrl} and ${httpsUrl}`);
      expect(summary).toMatchObject({
        overrideServiceUrl: httpsUrl.slice('https://'.length),
        dataDir,
        store: 'memory',
        certificate: { source: 'ca', file: path.join(dataDir, 'tls', 'ca.pem'), names: ['localhost', '127.0.0.1', '::1'] },
        ca: { file: path.join(dataDir, 'tls', 'ca.pem'), source: 'generated' },
        proxy: httpUrl,
      });
      await waitForLine(r, (l) => msg(l).startsWith(`local CA (generated): ${path.join(dataDir, 'tls', 'ca.pem')}`));
      await waitForLine(r, (l) => l.level === 40 && /signature verification OFF/.test(msg(l)));

      const overHttp = await request(`${httpUrl}/__admin/health`);
      expect(overHttp.statusCode).toBe(200);
      await overHttp.body.dump();
      const agent = new Agent({ connect: { rejectUnauthorized: false } });
      const overHttps = await request(`${httpsUrl}/__admin/health`, { dispatcher: agent });
      expect(overHttps.statusCode).toBe(200);
      await overHttps.body.dump();
      await agent.close();

      r.child.kill('SIGTERM');
      expect(await r.exit).toEqual({ code: 0, signal: null });
      expect(r.lines.some((l) => msg(l) === 'stopped')).toBe(true);
      expect(r.lines.some((l) => /not a loopback address/.test(msg(l)))).toBe(false);
    } finally {
      r.child.kill('SIGKILL');
    }
  });

  it('answers its first HTTPS request (fresh data dir, file store) without loading what a start does not need', async () => {
    // In a process of its own: main(), one request over HTTPS trusting only the local CA, then the packages loaded so far.
    const script = `
      import { createRequire } from 'node:module';
      import { readFileSync } from 'node:fs';
      import https from 'node:https';
      const { main } = await import(${JSON.stringify(mainJs)});
      const running = await main(['--http-port', '0', '--https-port', '0', '--data-dir', ${JSON.stringify(path.join(dataDir, 'lazy'))}, '--log-level', 'warn']);
      const status = await new Promise((resolve, reject) => https.get(running.https.url + '/__admin/health', { ca: readFileSync(running.ca.file) }, (res) => { res.resume(); resolve(res.statusCode); }).on('error', reject));
      const packages = new Set(Object.keys(createRequire(import.meta.url).cache).map((file) => /node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(file)?.[1]).filter(Boolean));
      process.stdout.write(JSON.stringify({ status, packages: [...packages] }) + '\\n');
      await running.close();
      process.exit(0);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { status: number; packages: string[] };
    expect(result.status).toBe(200);
    expect(result.packages).toContain('fastify');
    // yaml too: the shipped scenario files are JSON, so only a user's YAML file loads it.
    for (const unneeded of ['node-forge', 'ioredis', 'yaml', '@fastify/swagger', '@fastify/swagger-ui', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler']) {
      expect(result.packages, unneeded).not.toContain(unneeded);
    }
  }, 40_000);

  it('runs one bundled file (npm start, the bin and the image): built from the TypeScript before each npm start, importing only Node built-ins and packages', async () => {
    expect(scripts().build).toBe('tsc -p tsconfig.json && npm run prestart --silent');
    expect(scripts().start).toBe('node dist/server/main.js');
    expect(bundleArgs()).toEqual(expect.arrayContaining(['server/main.ts', '--bundle', '--packages=external', '--outfile=dist/server/main.js']));
    const code = await readFile(mainJs, 'utf8');
    const specifiers = [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s*)["']([^"']+)["']/gm)].map((m) => m[1]!);
    expect(specifiers).toContain('fastify');
    expect(specifiers.filter((s) => s.startsWith('.') || s.startsWith('/'))).toEqual([]);
    expect(code.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(code).toMatch(/\/\/# sourceMappingURL=main\.js\.map\s*$/);
    const map = JSON.parse(await readFile(`${mainJs}.map`, 'utf8')) as { sources: string[] };
    expect(map.sources.some((source) => source.endsWith('server/config.ts'))).toBe(true);
  });

  it('keeps the CA it generated on the previous start, and stops on SIGINT too', async () => {
    const dir = path.join(dataDir, 'reuse');
    const args = ['--no-http', '--https-port', '0', '--data-dir', dir, '--store', 'memory'];
    const sources: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const r = run(args);
      try {
        const summary = await waitForLine(r, (l) => msg(l).includes('listening'), 25_000);
        expect(summary.http).toBeNull();
        sources.push((summary.ca as { source: string }).source);
        r.child.kill('SIGINT');
        expect(await r.exit).toEqual({ code: 0, signal: null });
      } finally {
        r.child.kill('SIGKILL');
      }
    }
    expect(sources).toEqual(['generated', 'reused']);
    // Two starts of a compiled server: slow on a loaded machine.
  }, 60_000);

  it('logs a keys or scenarios directory it cannot read as a warning, so --log-level warn still shows it', async () => {
    const r = run(['--http-port', '0', '--https-port', '0', '--data-dir', dataDir, '--store', 'memory', '--log-level', 'warn', '--keys-dir', '/nonexistent/keys-dir', '--scenarios-dir', '/nonexistent/scenarios-dir']);
    try {
      const keys = await waitForLine(r, (l) => msg(l).includes('/nonexistent/keys-dir'));
      const scenarios = await waitForLine(r, (l) => msg(l).includes('/nonexistent/scenarios-dir'));
      expect(keys).toMatchObject({ level: 40, msg: expect.stringContaining('cannot read the keys directory') });
      expect(scenarios).toMatchObject({ level: 40, msg: expect.stringContaining('not found; no file rules loaded') });
    } finally {
      r.child.kill('SIGKILL');
      await r.exit;
    }
  });

  it('prints --help and exits 0', async () => {
    const r = run(['--help']);
    expect(await r.exit).toEqual({ code: 0, signal: null });
    const text = r.lines.map(msg).join('\n');
    expect(text).toMatch(/^Usage: amazon-pay-mock/);
    expect(text).toContain('--http-port');
    expect(text).toContain('AMAZON_PAY_MOCK_HTTPS_PORT');
  });

  it('prints the env settings (`amazon-pay-mock env`), creating the CA the server will use', async () => {
    const dir = path.join(dataDir, 'env');
    const r = run(['env', '--data-dir', dir, '--http-port', '18080']);
    expect(await r.exit).toEqual({ code: 0, signal: null });
    const text = r.lines.map(msg).join('\n');
    expect(text).toContain('export HTTPS_PROXY=http://127.0.0.1:18080');
    expect(text).toContain(`export NODE_EXTRA_CA_CERTS=${path.join(dir, 'tls', 'ca.pem')}`);
    expect(existsSync(path.join(dir, 'tls', 'ca.pem'))).toBe(true);
    const bad = run(['env', '--format', 'fish']);
    expect(await bad.exit).toEqual({ code: 2, signal: null });
    expect(bad.stderr()).toContain('--format: expected sh or dotenv');
  });

  it('runs as `npx amazon-pay-mock` (the package.json bin) in a project that installed the package', async () => {
    const consumer = await mkdtemp(path.join(tmpdir(), 'apm-consumer-'));
    try {
      await writeFile(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
      const npm = (args: string[]) => spawnSync('npm', args, { cwd: consumer, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
      const installed = npm(['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', packageDir]);
      expect(installed.status, installed.stderr).toBe(0);
      const bin = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')).bin;
      expect(bin).toEqual({ 'amazon-pay-mock': 'dist/server/main.js' });
      const help = npm(['exec', '--no', '--', 'amazon-pay-mock', '--help']);
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toMatch(/^Usage: amazon-pay-mock/);
      expect(help.stdout).toContain('amazon-pay-mock env');
      const npx = spawnSync('npx', ['--no-install', 'amazon-pay-mock', 'env', '--data-dir', path.join(consumer, 'data')], { cwd: consumer, encoding: 'utf8' });
      expect(npx.status, npx.stderr).toBe(0);
      expect(npx.stdout).toContain('export HTTPS_PROXY=');
    } finally {
      await rm(consumer, { recursive: true, force: true });
    }
    // npm install plus two runs of the compiled server through npx: slow on a loaded machine.
  }, 120_000);

  it('exits 2 with the message on a bad setting', async () => {
    const r = run(['--http-port', 'abc']);
    expect(await r.exit).toEqual({ code: 2, signal: null });
    expect(r.stderr()).toContain('--http-port: expected a whole number >= 0, got "abc"');
    expect(r.lines).toEqual([]);
  });

  it('refuses to start on a snapshot it cannot read: one line naming the file and what to do, exit 2', async () => {
    const dir = path.join(dataDir, 'damaged');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'db.json'), 'this is not a snapshot');
    const r = run(['--http-port', '0', '--no-https', '--data-dir', dir]);
    expect(await r.exit).toEqual({ code: 2, signal: null });
    const lines = r.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^amazon-pay-mock: cannot start: store: cannot read the snapshot .*damaged\/db\.json: .*move it away to start without it/);
    expect(r.lines).toEqual([]);
  });

  it('refuses to start when Redis is unreachable (--store redis): one line naming the URL and what to do, exit 2', async () => {
    // A port nothing listens on: bound, then released.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const r = run(['--http-port', '0', '--no-https', '--data-dir', dataDir, '--store', 'redis', '--redis-url', `redis://127.0.0.1:${port}/0`]);
    expect(await r.exit).toEqual({ code: 2, signal: null });
    const lines = r.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^amazon-pay-mock: cannot start: cannot reach Redis at redis://127\\.0\\.0\\.1:${port}/0 \\(.*ECONNREFUSED.*\\); start Redis or fix --redis-url$`));
    expect(r.lines).toEqual([]);
  });

  it('exits 2 naming the port and the flag when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = run(['--http-port', String(port), '--no-https', '--data-dir', dataDir, '--store', 'memory']);
      expect(await r.exit).toEqual({ code: 2, signal: null });
      expect(r.stderr()).toContain(`HTTP port ${port} on 127.0.0.1 is already in use; choose another with --http-port`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
