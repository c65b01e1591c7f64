import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signRequest } from '../../server/signing/signRequest.js';
import { demoKeyIds, demoPrivateKey } from '../helpers/demoKeys.js';
import { readySessionBody } from '../helpers/testApp.js';

// kill -9 under write load: every write the server acknowledged must be readable after a restart.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(root, '.vitest-tmp', `crash-build-${process.pid}`);
const mainJs = path.join(outDir, 'server', 'main.js');
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'apm-crash-'));
  spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--outDir', outDir], { cwd: root, encoding: 'utf8' });
  if (!existsSync(mainJs)) throw new Error(`tsc did not produce ${mainJs}`);
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts the compiled server on the data dir; resolves with its HTTP URL once it listens. */
function start(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [mainJs, '--http-port', '0', '--no-https', '--data-dir', dataDir, '--store', 'file', '--log-level', 'info'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /"http":"(http:\/\/[^"]+)"/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${out.slice(-2000)} ${err.slice(-2000)}`)));
  });
}

function signed(method: string, url: string, body = '', headers: Record<string, string> = {}) {
  return signRequest({ method, url, body, privateKey: demoPrivateKey, publicKeyId: demoKeyIds.sandbox, headers }).headers;
}

it('keeps every acknowledged write after kill -9 under write load', async () => {
  const first = await start();
  const pool = new Pool(first.url, { connections: 16 });
  const acknowledged: string[] = [];
  // Completed sessions, with the answer each complete got: their new versions are logged as patches.
  const completed = new Map<string, string>();
  let stop = false;
  let sent = 0;
  const writer = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const body = JSON.stringify(readySessionBody());
      const url = `${first.url}/v2/checkoutSessions`;
      sent++;
      try {
        const res = await pool.request({ method: 'POST', path: '/v2/checkoutSessions', headers: signed('POST', url, body, { 'x-amz-pay-idempotency-key': `crash-${w}-${i}` }), body });
        const text = await res.body.text();
        if (res.statusCode !== 201) continue;
        const id = (JSON.parse(text) as { checkoutSessionId: string }).checkoutSessionId;
        acknowledged.push(id);
        if (i % 2 === 1) continue;
        const completeBody = JSON.stringify({ chargeAmount: { amount: '50.00', currencyCode: 'USD' } });
        const completePath = `/v2/checkoutSessions/${id}/complete`;
        sent++;
        const done = await pool.request({ method: 'POST', path: completePath, headers: signed('POST', `${first.url}${completePath}`, completeBody), body: completeBody });
        const answer = await done.body.text();
        if (done.statusCode === 200) completed.set(id, answer);
      } catch {
        return; // the connection died with the process: that write was never acknowledged
      }
    }
  };
  const writers = Array.from({ length: 16 }, (_, w) => writer(w));
  await new Promise((r) => setTimeout(r, 1500 + Math.random() * 1500));
  // Listen before the kill: the writers may take longer to notice than the process takes to exit.
  const exited = new Promise((r) => first.child.once('exit', r));
  first.child.kill('SIGKILL');
  stop = true;
  await Promise.all(writers);
  await exited;
  await pool.destroy();
  expect(acknowledged.length).toBeGreaterThan(10);

  const second = await start();
  try {
    const pool2 = new Pool(second.url, { connections: 8 });
    const missing: string[] = [];
    for (const id of acknowledged) {
      const url = `${second.url}/v2/checkoutSessions/${id}`;
      const res = await pool2.request({ method: 'GET', path: `/v2/checkoutSessions/${id}`, headers: signed('GET', url) });
      const text = await res.body.text();
      if (res.statusCode !== 200) missing.push(`${id}: ${res.statusCode}`);
      const answer = completed.get(id);
      if (answer !== undefined) {
        const session = JSON.parse(text) as { statusDetails?: { state?: string }; chargeId?: string };
        const acked = JSON.parse(answer) as { chargeId?: string };
        if (session.statusDetails?.state !== 'Completed' || session.chargeId !== acked.chargeId) missing.push(`${id}: complete lost (${session.statusDetails?.state})`);
      }
    }
    await pool2.close();
    console.log(JSON.stringify({ crash: { sent, acknowledged: acknowledged.length, completed: completed.size, missingAfterRestart: missing.length } }));
    expect(completed.size).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  } finally {
    second.child.kill('SIGKILL');
  }
}, 600_000);
