import { contestDispute, createDispute, getDispute, updateDispute } from '../domain/dispute/disputeOperations.js';
import { uploadFile } from '../domain/file/uploadFile.js';
import type { OperationRoute } from './operationRoute.js';

const id = (params: Record<string, string>) => params.disputeId!;

/** Disputes and evidence files, for payment service providers (the SDKs' Dispute and File APIs). */
export const disputeRoutes: OperationRoute[] = [
  { name: 'createDispute', method: 'POST', path: '/disputes', hasBody: true, idempotency: 'required', run: (env, call) => createDispute(env, call.body) },
  { name: 'getDispute', method: 'GET', path: '/disputes/:disputeId', hasBody: false, run: (env, call) => getDispute(env, id(call.params)) },
  { name: 'updateDispute', method: 'PATCH', path: '/disputes/:disputeId', hasBody: true, run: (env, call) => updateDispute(env, id(call.params), call.body) },
  { name: 'contestDispute', method: 'POST', path: '/disputes/:disputeId/contest', hasBody: true, idempotency: 'optional', run: (env, call) => contestDispute(env, id(call.params), call.body) },
  { name: 'uploadFile', method: 'POST', path: '/files', hasBody: true, idempotency: 'required', run: (env, call) => uploadFile(env, call.body) },
];
