import type { ChargeRecord } from '../domain/charge/chargeRecord.js';
import type { ChargePermissionRecord } from '../domain/chargePermission/chargePermissionRecord.js';
import type { SessionRecord } from '../domain/checkoutSession/sessionRecord.js';
import type { StateView } from '../domain/operation.js';
import type { OperationName } from '../domain/operationNames.js';
import type { RefundRecord } from '../domain/refund/refundRecord.js';
import { fieldOf } from '../domain/jsonObject.js';
import type { MerchantMetadata, Price } from '../domain/types.js';

/** Facts of one call that rules can match on. */
export interface CallFacts {
  operation: OperationName;
  checkoutSessionId: string | null;
  merchantReferenceId: string | null;
  amount: string | null;
  currency: string | null;
  publicKeyId: string | null;
  headers: Record<string, string | string[] | undefined>;
}

/** The parts of a call facts are read from: its path parameters and its parsed body. */
export interface CallInput {
  params: Record<string, string>;
  body: unknown;
}

const amountFields = ['chargeAmount', 'captureAmount', 'refundAmount'] as const;

// Bodies are read before they are validated: fields of any type may be missing or of another kind.
const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Facts scenario rules match on, for any operation: the merchant reference id and the amount at
 * stake, from the request body first, else from the objects the call is about.
 */
export function callFacts(state: StateView, call: CallInput): Partial<CallFacts> {
  const body = call.body;
  const p = call.params;
  const refund = p.refundId ? state.get<RefundRecord>('refunds', p.refundId) : undefined;
  const chargeId = p.chargeId ?? textOf(fieldOf(body, 'chargeId')) ?? refund?.refund.chargeId;
  const charge = chargeId ? state.get<ChargeRecord>('charges', chargeId) : undefined;
  const permissionId = p.chargePermissionId ?? textOf(fieldOf(body, 'chargePermissionId')) ?? charge?.charge.chargePermissionId;
  const permission = permissionId ? state.get<ChargePermissionRecord>('chargePermissions', permissionId) : undefined;
  const session = p.checkoutSessionId ? state.get<SessionRecord>('checkoutSessions', p.checkoutSessionId) : undefined;

  const bodyAmount = amountFields.map((f) => fieldOf(body, f)).find((v) => v != null) ?? fieldOf(fieldOf(body, 'paymentDetails'), 'chargeAmount');
  const storedAmount: Price | null | undefined = refund?.refund.refundAmount ?? charge?.charge.chargeAmount ?? session?.session.paymentDetails?.chargeAmount;
  const amount = bodyAmount ?? storedAmount;
  const amountValue = fieldOf(amount, 'amount');
  const storedMetadata: MerchantMetadata | null | undefined = session?.session.merchantMetadata ?? charge?.charge.merchantMetadata ?? permission?.chargePermission.merchantMetadata;
  const bodyMetadata = fieldOf(body, 'merchantMetadata');
  return {
    // A body whose metadata names no reference id keeps the stored one (updates merge metadata field by field).
    merchantReferenceId: textOf(fieldOf(bodyMetadata, 'merchantReferenceId')) ?? storedMetadata?.merchantReferenceId ?? null,
    amount: amountValue != null ? String(amountValue) : null,
    currency: textOf(fieldOf(amount, 'currencyCode')) ?? null,
  };
}
