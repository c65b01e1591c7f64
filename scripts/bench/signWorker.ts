/** Worker thread of presign.ts: signs one complete request per session id and posts them back. */
import { createPrivateKey } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { signRequest } from '../../server/signing/signRequest.js';
import type { SignJob } from './presign.js';
import { signedRequest } from './requests.js';

const job = workerData as SignJob;
const privateKey = createPrivateKey(job.privateKeyPem);
parentPort!.postMessage(job.paths.map((p) => signedRequest(signRequest, { origin: job.origin, path: p, body: job.body, privateKey, publicKeyId: job.publicKeyId, method: job.method })));
