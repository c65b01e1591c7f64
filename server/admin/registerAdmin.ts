import type { FastifyInstance } from 'fastify';
import { buyerRoutes } from './buyerRoutes.js';
import { caRoutes } from './caRoutes.js';
import { checkoutSessionRoutes } from './checkoutSessionRoutes.js';
import { clockRoutes } from './clockRoutes.js';
import { faultRoutes } from './faultRoutes.js';
import { journalRoutes } from './journalRoutes.js';
import { ipnRoutes } from './ipnRoutes.js';
import { keyRoutes } from './keyRoutes.js';
import { resetRoutes } from './resetRoutes.js';
import { scenarioRoutes } from './scenarioRoutes.js';
import { uiRoutes } from './ui/uiRoutes.js';
import type { MockContext } from '../context.js';

/** The control API under /__admin. */
export function registerAdmin(app: FastifyInstance, deps: MockContext): void {
  resetRoutes(app, deps);
  clockRoutes(app, deps);
  scenarioRoutes(app, deps);
  checkoutSessionRoutes(app, deps);
  keyRoutes(app, deps);
  buyerRoutes(app, deps);
  journalRoutes(app, deps);
  faultRoutes(app, deps);
  ipnRoutes(app, deps);
  uiRoutes(app, deps);
  caRoutes(app, deps);
}
