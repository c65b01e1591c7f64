import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, pssSign } from './helpers.js';

const signingDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server/signing');
const MESSAGE = 'AMZN-PAY-RSASSA-PSS-V2\nc816195674fb8f20558493519c1296234a03b93fa4b8ba95078b4d28538e7a15';

// A program that uses the native verifier as the server does, bundled by esbuild as `npm start`'s
// bundle is: it prints what happened and must then end by itself. With MODE=batch it waits for the
// worker and has it verify, with nothing but the worker to keep it alive meanwhile; otherwise it
// ends right after a first check has started the worker.
const program = `
import { KeyRegistry, nativeVerifier } from './index.js';
import { sharedVerifyWorker } from './verifyWorker.js';
const key = new KeyRegistry().add('DEMO', process.env.PUBLIC_KEY);
const beforeFirstCheck = { ...sharedVerifyWorker.stats };
const check = (signatureBase64) => nativeVerifier.verify(key, { message: process.env.MESSAGE, signatureBase64, saltLength: 32 });
const duringStart = await check(process.env.SIGNATURE);
let results = [];
if (process.env.MODE === 'batch') {
  await sharedVerifyWorker.whenOnline();
  results = await Promise.all([check(process.env.SIGNATURE), check(process.env.SIGNATURE.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))), check('%%')]);
}
console.log(JSON.stringify({ beforeFirstCheck, duringStart, results, stats: sharedVerifyWorker.stats }));
`;

let dir: string;
let script: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'apm-verify-worker-'));
  script = path.join(dir, 'program.mjs');
  const bundled = await build({ stdin: { contents: program, resolveDir: signingDir, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', write: false, logLevel: 'silent' });
  await writeFile(script, bundled.outputFiles[0]!.text);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Report {
  beforeFirstCheck: Record<string, number>;
  duringStart: boolean;
  results: boolean[];
  stats: Record<string, number>;
}

/** Runs the program; it must exit 0 by itself, with nothing on stderr. */
async function runProgram(mode: 'start' | 'batch'): Promise<Report> {
  const env = { PATH: process.env.PATH, MODE: mode, PUBLIC_KEY: DEMO_PUBLIC_KEY, MESSAGE, SIGNATURE: pssSign('node', DEMO_PRIVATE_KEY, MESSAGE, 32) };
  const child = spawn(process.execPath, [script], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A guard against a hang (a worker keeping the process alive), not a timing assertion.
  const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  clearTimeout(guard);
  expect({ exit, stderr }).toEqual({ exit: { code: 0, signal: null }, stderr: '' });
  return JSON.parse(stdout) as Report;
}

it('bundled: starts the shared worker on the first check, not on import, and an idle worker does not keep the process alive', async () => {
  const report = await runProgram('start');
  expect(report.beforeFirstCheck.workersStarted).toBe(0);
  expect(report.duringStart).toBe(true);
  expect(report.stats).toMatchObject({ workersStarted: 1, fallbacks: 1, batches: 0 });
});

it('bundled: verifies on the shared worker, which keeps the process alive only while checks are in flight', async () => {
  const report = await runProgram('batch');
  expect(report.duringStart).toBe(true);
  expect(report.results).toEqual([true, false, false]);
  // The first check ran in the thread pool while the worker started; the two that passed decodeSignature went to the worker.
  expect(report.stats).toMatchObject({ workersStarted: 1, fallbacks: 1, batches: 1, verified: 2, keysSent: 1 });
});
