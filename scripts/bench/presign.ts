import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PreparedRequest } from './load.js';

/** What one signing worker gets. */
export interface SignJob {
  origin: string;
  paths: string[];
  body: string;
  privateKeyPem: string;
  publicKeyId: string;
  method?: 'GET' | 'POST';
}

const workerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'signWorker.js');

/** Splits `items` into at most `parts` contiguous chunks of near-equal size, none empty. */
export function chunk<T>(items: readonly T[], parts: number): T[][] {
  const n = Math.max(1, Math.min(Math.floor(parts), items.length));
  const size = Math.ceil(items.length / n);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Signs one POST per path on `threads` worker threads (RSA signing is the costly part of a client;
 * done ahead of time it stays out of the measurement). Results keep the order of `paths`.
 */
export async function presign(job: Omit<SignJob, 'paths'>, paths: readonly string[], threads: number): Promise<PreparedRequest[]> {
  const parts = await Promise.all(
    chunk(paths, threads).map(
      (part) =>
        new Promise<PreparedRequest[]>((resolve, reject) => {
          const worker = new Worker(workerScript, { workerData: { ...job, paths: part } satisfies SignJob });
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => {
            if (code !== 0) reject(new Error(`signing worker exited with code ${code}`));
          });
        }),
    ),
  );
  return parts.flat();
}
