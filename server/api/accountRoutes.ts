import { getBuyer } from '../domain/buyer/buyerOperations.js';
import { getAuthorizationToken } from '../domain/authorizationTokens.js';
import { createDeliveryTracker } from '../domain/deliveryTrackers.js';
import type { OperationRoute } from './operationRoute.js';
import { callFacts } from '../scenarios/facts.js';

/** Buyer, delivery trackers and delegated authorization tokens (Amazon Pay API reference: "Buyer", "Delivery Trackers", "Authorization Tokens"). */
export const accountRoutes: OperationRoute[] = [
  { name: 'getBuyer', method: 'GET', path: '/buyers/:buyerToken', hasBody: false, run: (env, call) => getBuyer(env, call.params.buyerToken!) },
  { name: 'deliveryTrackers', method: 'POST', path: '/deliveryTrackers', hasBody: true, idempotency: 'optional', facts: callFacts, run: (env, call) => createDeliveryTracker(env, call.body) },
  {
    name: 'getAuthorizationToken',
    method: 'GET',
    path: '/authorizationTokens/:mwsAuthToken',
    hasBody: false,
    run: (env, call) => getAuthorizationToken(env, call.params.mwsAuthToken!, call.query),
  },
];
