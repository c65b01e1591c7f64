import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// A private outDir inside the repo (so node_modules and package.json resolve) keeps this test from
// racing other builds of dist/ and from replacing a dist/ someone is running.
const outDir = path.join(root, '.vitest-tmp', `main-build-${process.pid}`);
const mainJs = path.join(outDir, 'server', 'main.js');
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'apm-main-'));
  // Exactly `npm run build`, redirected. Type errors elsewhere in the tree still emit JavaScript.
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--outDir', outDir], {
    cwd: root,
    encoding: 'utf8',
  });
  if (!existsSync(mainJs)) throw new Error(`tsc did not produce ${mainJs}:\n${tsc.stdout}${tsc.stderr}${tsc.error ?? ''}`);
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
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
        certificate: { source: 'generated', file: path.join(dataDir, 'tls', 'cert.pem') },
      });
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

  it('reuses the certificate it generated on the previous start, and stops on SIGINT too', async () => {
    const dir = path.join(dataDir, 'reuse');
    const args = ['--no-http', '--https-port', '0', '--data-dir', dir, '--store', 'memory'];
    const sources: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const r = run(args);
      try {
        const summary = await waitForLine(r, (l) => msg(l).includes('listening'));
        expect(summary.http).toBeNull();
        sources.push((summary.certificate as { source: string }).source);
        r.child.kill('SIGINT');
        expect(await r.exit).toEqual({ code: 0, signal: null });
      } finally {
        r.child.kill('SIGKILL');
      }
    }
    expect(sources).toEqual(['generated', 'reused']);
  });

  it('prints --help and exits 0', async () => {
    const r = run(['--help']);
    expect(await r.exit).toEqual({ code: 0, signal: null });
    const text = r.lines.map(msg).join('\n');
    expect(text).toMatch(/^Usage: amazon-pay-mock/);
    expect(text).toContain('--http-port');
    expect(text).toContain('AMAZON_PAY_MOCK_HTTPS_PORT');
  });

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

  it('exits 1 naming the port and the flag when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = run(['--http-port', String(port), '--no-https', '--data-dir', dataDir, '--store', 'memory']);
      expect(await r.exit).toEqual({ code: 1, signal: null });
      expect(r.stderr()).toContain(`HTTP port ${port} on 127.0.0.1 is already in use; choose another with --http-port`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
