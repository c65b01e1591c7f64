/**
 * Starts a throw-away `redis-server` (Debian's package) on a free loopback port, for the tests and
 * the benchmark of the Redis store. Nothing is read from or written to the machine's own Redis.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The redis-server binary on PATH, or null (callers skip and say so). */
export function redisServerBinary(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const file = found.status === 0 ? found.stdout.trim() : '';
  return file === '' ? null : file;
}

/** Why Redis tests skip when the binary is missing. */
export const redisMissingReason = 'redis-server is not installed (apt-get install redis-server); the Redis store tests are skipped';

export interface RedisServerOptions {
  /** Append-only file with an fsync per write, so an acknowledged write survives a restart. */
  durable?: boolean;
}

/** A running throw-away Redis: its URL, and stop/start that keep the port and the data directory. */
export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, or SIGKILL for a crash) and waits for it to exit; data stays only when durable. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port and directory. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the server answers PING, or rejects with its output after `timeoutMs`. */
async function waitForPing(port: number, child: ChildProcess, output: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setTimeout(500);
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => (socket.destroy(), resolve(false)));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms: ${output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts redis-server on a free 127.0.0.1 port with its own data directory. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = redisServerBinary();
  if (!binary) throw new Error(redisMissingReason);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'apm-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--loglevel', 'warning'];
  args.push(...(options.durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
  let child: ChildProcess | null = null;
  let log = '';

  const start = async () => {
    log = '';
    const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-2000)));
    proc.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-2000)));
    await waitForPing(port, proc, () => log);
  };
  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    start,
    stop,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
