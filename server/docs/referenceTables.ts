import { options } from '../config.js';
import { reasonCodes } from '../domain/reasonCodes.js';
import type { Override } from '../domain/override.js';
import { simulationCodes } from '../scenarios/simulations.js';
import { BUYER_DETAILS_RETENTION_DAYS, SESSION_RETENTION_DAYS } from '../domain/retention.js';
import { FULLY_CAPTURED_REASON } from '../domain/chargePermission/permissionState.js';
import { MONTHLY_RECURRING_LIMITS } from '../domain/recurringLimits.js';

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The README's configuration table, generated from the one option table. */
export function configTable(): string {
  const rows = options.map((o) => `| \`${o.key}\` | \`${o.flag}\` | \`${o.env}\` | \`${JSON.stringify(o.default)}\` | ${cell(o.description)} |`);
  return ['| option | flag | environment variable | default | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

const sourceLabel = { doc: 'Amazon docs', '2nd': 'secondary sources', obs: 'observed responses', unconfirmed: 'unconfirmed', mock: 'emulator only' } as const;

/** The README's reason-code table, generated from the one catalog. */
export function reasonCodeTable(): string {
  const rows = Object.entries(reasonCodes).map(([code, e]) => `| ${e.status} | \`${code}\` | ${cell(e.message)} | ${sourceLabel[e.source]} |`);
  return ['| HTTP | reasonCode | default message | status taken from |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function effectOf(operation: string, o: Override): string {
  switch (o.kind) {
    case 'pending':
      return `authorization pending (AuthorizationInitiated, 202 on completion), then ${o.settleTo}${o.reasonCode ? `/${o.reasonCode}` : ''}`;
    case 'cancel':
      return `session Canceled/${o.reasonCode}; answer 422 ${o.reasonCode === 'Expired' ? 'InvalidCheckoutSessionStatus' : 'CheckoutSessionCanceled'}`;
    case 'decline':
      if (operation === 'captureCharge') {
        return o.reasonCode === 'ProcessingFailure' ? 'answer 500 ProcessingFailure; nothing changes' : `capture declined: charge Declined/${o.reasonCode}, answer ${reasonCodes[o.reasonCode].status} ${o.reasonCode}`;
      }
      return `declined: answer ${reasonCodes[o.reasonCode].status} ${o.reasonCode}, no charge created; with canHandlePendingAuthorization: AuthorizationInitiated, then Declined/${o.reasonCode}`;
    case 'captureInitiated':
      return `capture pending (CaptureInitiated), then ${o.settleTo}`;
    case 'close':
      return `permission Closed with reason ${o.reasonCode}`;
    case 'refundDeclined':
      return `refund RefundInitiated, then Declined/${o.reasonCode}`;
  }
}

/** The README's simulation-code table, generated from the one data table. */
export function simulationTable(): string {
  const rows = Object.entries(simulationCodes).flatMap(([operation, codes]) =>
    Object.entries(codes ?? {}).map(([code, o]) => `| ${operation} | \`${code}\` | ${cell(effectOf(operation, o))} |`),
  );
  return ['| operation | x-amz-pay-simulation-code | effect |', '| --- | --- | --- |', ...rows].join('\n');
}

/**
 * The README's table of documented rules whose numbers live in the domain (retention, closing,
 * monthly limits), generated from the same constants the rules use.
 */
export function documentedRulesTable(): string {
  const limits = Object.entries(MONTHLY_RECURRING_LIMITS).map(([currency, limit]) => `${currency} ${limit.toLocaleString('en-US')}`).join(', ');
  const rows = [
    ['Checkout Session', `a session is deleted ${SESSION_RETENTION_DAYS} days after creation: GET answers 404 \`ResourceNotFound\` (movable clock)`],
    ['Charge Permission', `a OneTime permission returns \`buyer\`, \`shippingAddress\` and \`billingAddress\` for ${BUYER_DETAILS_RETENTION_DAYS} days after creation, a Recurring one while it is open and for ${BUYER_DETAILS_RETENTION_DAYS} days after it is closed; null after`],
    ['Charge Permission', `a OneTime permission whose order total is captured (no charge open) is Closed, reason \`${FULLY_CAPTURED_REASON}\`; createCharge then answers 422 \`InvalidChargePermissionStatus\``],
    ['Monthly recurring charge limits', `a Recurring permission charges at most ${limits} per calendar month; more is 400 \`PeriodicAmountExceeded\``],
  ];
  return ['| Amazon page | rule |', '| --- | --- |', ...rows.map(([page, rule]) => `| ${page} | ${cell(rule!)} |`)].join('\n');
}
