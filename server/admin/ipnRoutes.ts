import type { FastifyInstance } from 'fastify';
import { apiError } from '../domain/errors.js';
import { parseIpnConfigUpdate } from '../ipn/ipnConfig.js';
import type { DeliveryStatus, EffectiveIpnConfig, IpnService } from '../ipn/ipnService.js';
import { merchantIdOf, topicArnOf } from '../ipn/snsEnvelope.js';
import { parseJsonBody } from '../http/jsonBody.js';
import { merchantParam } from '../http/merchantParam.js';
import type { MockContext } from '../context.js';

/** What the IPN routes need; `MockContext & { ipn }` satisfies it. */
export type IpnRouteDeps = Partial<MockContext> & { ipn: IpnService };

const statuses: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed'];
const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;

function requiredMerchant(query: unknown): string {
  const merchant = merchantParam(query);
  if (merchant === undefined) throw apiError('MissingParameterValue', "The parameter 'merchant' (a public key id) is required.");
  return merchant;
}

function configBody(merchant: string, config: EffectiveIpnConfig) {
  return { merchant, merchantId: merchantIdOf(merchant), topicArn: topicArnOf(merchant), urls: config.urls, signed: config.signed, source: config.source };
}

function singleQuery(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw apiError('InvalidParameterValue', `The parameter '${name}' must be given once.`);
  return value;
}

/** /__admin/ipn: per-merchant IPN endpoints, the delivery outbox, the SNS signing certificate and unsubscribe. */
export function ipnRoutes(app: FastifyInstance, deps: IpnRouteDeps): void {
  const { ipn } = deps;

  app.get('/__admin/ipn', async (request) => {
    const merchant = merchantParam(request.query);
    if (merchant === undefined) return { merchant: null, merchantId: null, topicArn: null, ...ipn.defaults, source: 'default' };
    return configBody(merchant, await ipn.config(merchant));
  });

  app.post('/__admin/ipn', async (request) => {
    const merchant = requiredMerchant(request.query);
    const body = parseJsonBody(request.body);
    return configBody(merchant, await ipn.updateConfig(merchant, (current) => parseIpnConfigUpdate(body, current)));
  });

  app.get('/__admin/ipn/deliveries', async (request) => {
    const merchant = merchantParam(request.query);
    const status = singleQuery(request.query, 'status');
    if (status !== undefined && !statuses.includes(status as DeliveryStatus)) {
      throw apiError('InvalidParameterValue', `The parameter 'status' must be one of ${statuses.join(', ')}.`);
    }
    const limitText = singleQuery(request.query, 'limit');
    let limit = DEFAULT_LIMIT;
    if (limitText !== undefined) {
      limit = Number(limitText);
      if (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_LIMIT) throw apiError('InvalidParameterValue', `The parameter 'limit' must be an integer from 1 to ${MAX_LIMIT}.`);
    }
    const query = { merchant, status: status as DeliveryStatus | undefined, limit };
    // The outbox is in the store: on a shared one the list holds every instance's deliveries.
    return { deliveries: await ipn.deliveries(query) };
  });

  app.delete('/__admin/ipn/deliveries', async (request) => {
    const merchant = merchantParam(request.query);
    return { deleted: await ipn.clearDeliveries(merchant) };
  });

  app.get('/__admin/ipn/signing-cert.pem', async (_request, reply) => reply.type('application/x-pem-file').send(await ipn.signingCertificatePem()));

  app.get('/__admin/ipn/unsubscribe', async (request) => {
    const merchant = requiredMerchant(request.query);
    const url = singleQuery(request.query, 'url');
    const { removed, config } = await ipn.unsubscribe(merchant, url);
    return { unsubscribed: removed, ...configBody(merchant, config) };
  });
}
