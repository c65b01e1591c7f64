import { describe, expect, expectTypeOf, it } from 'vitest';
import { AmazonPayError } from '../../server/domain/errors.js';
import { createSessionFields, updateSessionFields } from '../../server/domain/checkoutSession/sessionSchema.js';
import { deliveryTrackerFields } from '../../server/domain/deliveryTrackers.js';
import { createChargeFields, captureChargeFields, cancelChargeFields, updateChargeFields } from '../../server/domain/charge/chargeSchema.js';
import { closeChargePermissionFields, updateChargePermissionFields } from '../../server/domain/chargePermission/chargePermissionSchema.js';
import { createRefundFields } from '../../server/domain/refund/refundOperations.js';
import { approveFields } from '../../server/domain/checkoutSession/approveSession.js';
import { bool, obj, oneOf, priceSchema, str, validateBody, type Infer, type PriceInput, type Schema } from '../../server/domain/validation.js';
import { bodyWith, schemaPaths, wrongTypes } from '../fuzz/schemaPaths.js';

const bodies: [string, Record<string, Schema>][] = [
  ['createCheckoutSession', createSessionFields],
  ['updateCheckoutSession', updateSessionFields],
  ['deliveryTrackers', deliveryTrackerFields],
  ['createCharge', createChargeFields],
  ['captureCharge', captureChargeFields],
  ['cancelCharge', cancelChargeFields],
  ['updateCharge', updateChargeFields],
  ['updateChargePermission', updateChargePermissionFields],
  ['closeChargePermission', closeChargePermissionFields],
  ['createRefund', createRefundFields],
  ['approveCheckoutSession', approveFields],
];

function reasonOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (!(err instanceof AmazonPayError)) throw err;
    return err.reasonCode;
  }
}

describe.each(bodies)('the %s body', (_name, fields) => {
  it('answers InvalidParameterValue for a wrong type at every field, at every depth', () => {
    const wrong: string[] = [];
    for (const { path, schema } of schemaPaths(fields)) {
      for (const value of wrongTypes(schema)) {
        const reason = reasonOf(() => validateBody(bodyWith({}, fields, path, value), fields));
        if (reason !== 'InvalidParameterValue') wrong.push(`${path.join('.')} = ${JSON.stringify(value)} -> ${reason}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses null items in every array, at every depth', () => {
    const arrays = schemaPaths(fields).filter((p) => p.schema.type === 'array');
    for (const { path } of arrays) expect(reasonOf(() => validateBody(bodyWith({}, fields, path, [null]), fields)), path.join('.')).toBe('InvalidParameterValue');
  });
});

describe('limits', () => {
  it('echoes at most a short prefix of a huge bad value', () => {
    let message = '';
    try {
      validateBody({ supplementaryData: 'x'.repeat(1_000_000) }, createSessionFields);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('(1000000 characters)');
    expect(message.length).toBeLessThan(400);
  });

  it('bounds strings that state no limit of their own', () => {
    expect(reasonOf(() => validateBody({ paymentDetails: { chargeAmount: { amount: '1'.repeat(100), currencyCode: 'USD' } } }, createSessionFields))).toBe('InvalidParameterValue');
  });

  it('takes address restrictions only in their documented shape, so their depth is bounded', () => {
    const ok = { deliverySpecifications: { addressRestrictions: { type: 'Allowed', restrictions: { US: { statesOrRegions: ['WA'], zipCodes: ['95050'] }, JP: {} } } } };
    expect(reasonOf(() => validateBody(ok, createSessionFields))).toBeNull();
    let deep: unknown = 'x';
    for (let i = 0; i < 3000; i++) deep = { a: deep };
    const tooDeep = { deliverySpecifications: { addressRestrictions: { type: 'Allowed', restrictions: { US: deep } } } };
    expect(reasonOf(() => validateBody(tooDeep, createSessionFields))).toBe('UnrecognizedField');
    const badKey = { deliverySpecifications: { addressRestrictions: { restrictions: { usa: {} } } } };
    expect(reasonOf(() => validateBody(badKey, createSessionFields))).toBe('InvalidParameterValue');
  });
});

describe('typed bodies', () => {
  const fields = {
    name: str(10),
    intent: oneOf('Confirm', 'Authorize'),
    amount: priceSchema,
    pending: bool,
    tags: { type: 'array', items: str() },
    nested: obj({ id: str(), note: str() }, ['id']),
  } as const;

  it('types what validateBody returns from the schema: required fields present, others optional and nullable', () => {
    const body = validateBody({ name: 'a', intent: 'Confirm', nested: { id: 'x' } }, fields, ['name', 'intent']);
    expectTypeOf(body.name).toEqualTypeOf<string>();
    expectTypeOf(body.intent).toEqualTypeOf<'Confirm' | 'Authorize'>();
    expectTypeOf(body.amount).toEqualTypeOf<PriceInput | null | undefined>();
    expectTypeOf(body.pending).toEqualTypeOf<boolean | null | undefined>();
    expectTypeOf(body.tags).toEqualTypeOf<string[] | null | undefined>();
    expectTypeOf<NonNullable<typeof body.nested>>().toEqualTypeOf<{ id: string; note?: string | null }>();
    expectTypeOf<Infer<typeof fields.nested>>().toEqualTypeOf<{ id: string; note?: string | null }>();
    expect(body).toEqual({ name: 'a', intent: 'Confirm', nested: { id: 'x' } });
  });
});

describe('validateBody field order', () => {
  it('checks fields in the schema\'s order, whatever the body\'s, and names the first bad one', () => {
    const fields = { b: str(3), a: { type: 'boolean' }, c: obj({ z: str(1), y: bool }) } as const satisfies Record<string, Schema>;
    const messageOf = (body: unknown) => {
      try {
        validateBody(body, fields);
        return null;
      } catch (err) {
        if (!(err instanceof AmazonPayError)) throw err;
        return err.message;
      }
    };
    expect(messageOf({ a: 'not a boolean', b: 'too long' })).toContain("'b'");
    expect(messageOf({ c: { y: 'no', z: 'long' }, a: 1 })).toContain("'a'");
    expect(messageOf({ c: { y: 'no', z: 'long' } })).toContain("'c.z'");
    expect(messageOf({ c: { y: 'no' }, b: 'ok' })).toContain("'c.y'");
    expect(messageOf({ b: 'ok', a: true, c: { z: 'k', y: false } })).toBeNull();
  });
});
