import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { operationRoutes } from '../../server/api/registerApi.js';
import { packagePath } from '../../server/config.js';
import { issueBuyerTokenFields } from '../../server/domain/buyer/buyerOperations.js';
import { currencies } from '../../server/domain/money.js';
import { simulatedCards } from '../../server/domain/cards.js';
import { cancelChargeFields, captureChargeFields, createChargeFields, updateChargeFields } from '../../server/domain/charge/chargeSchema.js';
import { closeChargePermissionFields, updateChargePermissionFields } from '../../server/domain/chargePermission/chargePermissionSchema.js';
import { approveFields } from '../../server/domain/checkoutSession/approveSession.js';
import { finalizeSessionFields } from '../../server/domain/checkoutSession/finalizeCheckoutSession.js';
import { completeSessionFields, createSessionFields, updateSessionFields } from '../../server/domain/checkoutSession/sessionSchema.js';
import { deliveryTrackerFields } from '../../server/domain/deliveryTrackers.js';
import { operationNames } from '../../server/domain/operationNames.js';
import { reasonCodes } from '../../server/domain/reasonCodes.js';
import { createRefundFields } from '../../server/domain/refund/refundOperations.js';
import { simulationCodes } from '../../server/scenarios/simulations.js';
import type { Schema } from '../../server/domain/validation.js';
import { doc, pointer, deref, documentedOperations, operationById, fastifyPath, objectSchemas, responseSchemas, optionalKeys, same, component, type Json } from '../helpers/openapiDocument.js';
import { storeId } from './documentedApp.js';

describe('openapi.yaml: the document itself: structure, names, reason codes, wire objects and field limits', () => {
  it('is an OpenAPI 3.0.3 document whose references, parameters and operation ids are consistent', () => {
    expect(doc.openapi).toBe('3.0.3');
    expect(doc.info.title).toBe('amazon-pay-mock');
    expect(doc.info.version).toBe(JSON.parse(readFileSync(packagePath('package.json'), 'utf8')).version);
    expect(doc.info.description).toMatch(/\/sandbox\/v2/);
    expect(doc.info.description).toMatch(/__admin/);

    // Every reference resolves.
    const refs: string[] = [];
    const walk = (node: Json) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) k === '$ref' ? refs.push(v as string) : walk(v);
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) expect(() => pointer(ref), ref).not.toThrow();

    const ops = documentedOperations();
    const ids = ops.map((o) => o.operation.operationId);
    expect(new Set(ids).size, 'operationIds are unique').toBe(ids.length);
    for (const { path, method, operation } of ops) {
      const where = `${method} ${path}`;
      expect(operation.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(operation.tags?.length, `${where} has a tag`).toBeGreaterThan(0);
      for (const tag of operation.tags) expect(doc.tags.map((t: Json) => t.name), `${where} tag ${tag}`).toContain(tag);
      const params = (operation.parameters ?? []).map(deref);
      const pathParams = params.filter((p: Json) => p.in === 'path').map((p: Json) => p.name).sort();
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      expect(pathParams, `${where} declares exactly its path parameters`).toEqual(inTemplate);
      for (const p of params) if (p.in === 'path') expect(p.required, `${where} ${p.name}`).toBe(true);
      expect(Object.keys(operation.responses).length, `${where} has responses`).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(status, where).toMatch(/^([1-5]\d\d|default)$/);
        expect(typeof deref(response).description, `${where} ${status} has a description`).toBe('string');
      }
      // GETs never read a body; the emulated DELETEs do (checked against the routes below).
      if (method === 'GET' || (method === 'DELETE' && path.startsWith('/__admin'))) expect(operation.requestBody, `${where} takes no body`).toBeUndefined();
    }
  });

  it('names each emulated operation after the SDK method, once per URL prefix', () => {
    const emulated = documentedOperations().filter((o) => !o.path.startsWith('/__admin') && !o.path.startsWith('/documentation') && !o.path.startsWith('/checkout') && !o.path.startsWith('/storage/'));
    const expected = operationRoutes.flatMap((r) => [
      { key: `${r.method} /v2${r.path}`, id: r.name },
      { key: `${r.method} /:environment/v2${r.path}`, id: `${r.name}InEnvironment` },
    ]);
    const actual = emulated.map((o) => ({ key: `${o.method} ${fastifyPath(o.path)}`, id: o.operation.operationId }));
    const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1);
    expect(actual.sort(byKey)).toEqual(expected.sort(byKey));
    expect([...new Set(operationRoutes.map((r) => r.name))].sort()).toEqual([...operationNames].sort());

    const signedHeaders = ['authorization', 'x-amz-pay-date', 'x-amz-pay-host', 'x-amz-pay-region', 'x-amz-pay-simulation-code'];
    for (const { path, method, operation } of emulated) {
      const where = `${method} ${path}`;
      const route = operationRoutes.find((r) => operation.operationId.replace(/InEnvironment$/, '') === r.name)!;
      const params = operation.parameters as Json[];
      for (const p of params) expect(p.$ref, `${where}: parameters are the reusable components`).toMatch(/^#\/components\/parameters\//);
      const headers = params.map(deref).filter((p: Json) => p.in === 'header');
      for (const h of signedHeaders) expect(headers.map((p: Json) => p.name), where).toContain(h);
      // The pipeline reads the key on every POST; it is required where the route says so.
      const idempotencyKey = headers.find((p: Json) => p.name === 'x-amz-pay-idempotency-key');
      expect(idempotencyKey !== undefined, `${where}: idempotency key on POSTs only`).toBe(method === 'POST');
      if (idempotencyKey) expect(idempotencyKey.required, `${where}: idempotency key required`).toBe(route.idempotency === 'required');
      expect(operation.security, where).toEqual([{ AmazonPaySignature: [] }]);
      if (path.startsWith('/{environment}')) {
        expect(deref(params[0]).schema.enum).toEqual(['sandbox', 'live']);
        expect(operation.responses['404'], `${where} documents the unknown environment segment`).toBeDefined();
      }
      for (const status of ['400', '401', '403', '500', 'default']) expect(operation.responses[status], `${where} ${status}`).toBeDefined();
      // The DELETEs that read a JSON body document it; nothing else does.
      expect(operation.requestBody !== undefined, `${where} documents a body exactly when the route reads one`).toBe(route.hasBody);
      if (operation.requestBody) expect(operation.responses['413'], `${where} 413`).toBeDefined();

      // The 400 codes the pipeline can raise for this kind of route, and none it cannot.
      const codes400 = deref(operation.responses['400'])['x-reason-codes'] as string[];
      const always = ['MissingHeader', 'MissingHeaderValue', 'InvalidHeaderValue', 'InvalidRequest', 'InvalidSandboxSimulationSpecified'];
      for (const code of always) expect(codes400, `${where} 400`).toContain(code);
      expect(codes400.includes('DuplicateIdempotencyKey'), `${where}: DuplicateIdempotencyKey on POSTs only`).toBe(method === 'POST');
      for (const code of ['InvalidRequestFormat', 'UnrecognizedField']) expect(codes400.includes(code), `${where}: ${code} exactly when there is a body`).toBe(route.hasBody);

      // The simulation codes the operation accepts, as the emulator's table has them.
      const simulations = operation['x-simulation-codes'] as Record<string, string>;
      expect(simulations, `${where} x-simulation-codes`).toBeTypeOf('object');
      expect(Object.keys(simulations), `${where} x-simulation-codes`).toEqual(Object.keys(simulationCodes[route.name] ?? {}));
      for (const [code, effect] of Object.entries(simulations)) expect(effect.length, `${where} ${code} says what it does`).toBeGreaterThan(20);
    }
    for (const id of ['completeCheckoutSession', 'finalizeCheckoutSession']) {
      for (const variant of [id, `${id}InEnvironment`]) {
        expect(operationById(variant).operation.responses['200'], variant).toBeDefined();
        expect(operationById(variant).operation.responses['202'], variant).toBeDefined();
      }
    }
    // Every operation with simulation codes is an emulated operation.
    for (const name of Object.keys(simulationCodes)) expect(operationNames as readonly string[]).toContain(name);

    // Scenario rules match on the same names.
    const ruleOperation = deref(component('ScenarioRuleInput')).properties.match.properties.operation.enum;
    expect(ruleOperation).toEqual(['*', ...operationNames]);
    expect(deref(component('ScenarioMatch')).properties.operation.enum).toEqual(['*', ...operationNames]);

    // The rule format is the scenario files' (whose JSON schema test/domain/scenarios.test.ts keeps in step with the parser).
    const fileSchema = JSON.parse(readFileSync(packagePath('fixtures/scenarios/scenario.schema.json'), 'utf8'));
    const ruleInput = deref(component('ScenarioRuleInput'));
    expect(Object.keys(ruleInput.properties)).toEqual(Object.keys(fileSchema.$defs.rule.properties));
    expect(Object.keys(ruleInput.properties.match.properties)).toEqual(Object.keys(fileSchema.$defs.match.properties));
    expect(Object.keys(ruleInput.properties.outcome.properties)).toEqual(Object.keys(fileSchema.$defs.outcome.properties));
    const kinds = fileSchema.$defs.outcome.properties.kind.enum;
    expect(ruleInput.properties.outcome.properties.kind.enum).toEqual(kinds);
    const applied = deref(component('ScriptedOutcome'));
    expect(applied.oneOf.map((o: Json) => deref(o).properties.kind.enum)).toEqual(kinds.map((k: string) => [k]));
    expect(applied.discriminator.mapping).toEqual(Object.fromEntries(applied.oneOf.map((o: Json, i: number) => [kinds[i], o.$ref])));
  });

  it('documents the whole reason-code catalog', () => {
    const catalog = Object.entries(reasonCodes).map(([reasonCode, entry]) => ({ reasonCode, status: entry.status, message: entry.message }));
    expect(doc['x-reason-codes']).toEqual(catalog);
    expect(deref(component('ReasonCode')).enum).toEqual(Object.keys(reasonCodes));

    const error = deref(component('Error'));
    expect(error.additionalProperties).toBe(false);
    expect(error.required).toEqual(['reasonCode', 'message']);
    expect(Object.keys(error.properties)).toEqual(['reasonCode', 'message']);
    expect(error.properties.reasonCode).toEqual(component('ReasonCode'));

    // Each error response names its reason codes, and the catalog gives each of them that status.
    const statusOf = (code: string) => (reasonCodes as Record<string, { status: number }>)[code]?.status;
    let checked = 0;
    for (const { path, method, operation } of documentedOperations()) {
      for (const [status, ref] of Object.entries(operation.responses as Record<string, Json>)) {
        if (status !== 'default' && Number(status) < 400) continue;
        const response = deref(ref);
        // The hosted pages and the button pages answer a browser: every error is an HTML page, never Amazon's JSON.
        // The dashboard's 401 is the control API's (a browser asking for HTML gets a page instead).
        if (operation.tags.includes('Hosted pages') || operation.tags.includes('Buttons') || (operation.tags.includes('Dashboard') && ref.$ref !== '#/components/responses/AdminUnauthorized')) {
          expect(Object.keys(response.content), `${method} ${path} ${status}`).toEqual(['text/html']);
          expect(response.content['text/html'].schema, `${method} ${path} ${status}`).toEqual(component('HtmlPage'));
          expect(response['x-reason-codes'], `${method} ${path} ${status}`).toBeUndefined();
          continue;
        }
        expect(response.content['application/json'].schema, `${method} ${path} ${status}`).toEqual(component('Error'));
        if (status === 'default') continue;
        const codes = response['x-reason-codes'] as string[];
        expect(codes?.length, `${method} ${path} ${status} lists its reason codes`).toBeGreaterThan(0);
        for (const code of codes) {
          expect(statusOf(code), `${method} ${path} ${status}: ${code}`).toBe(Number(status));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('documents x-amz-pay-request-id on every response', () => {
    const requestId = doc.components.headers.RequestId;
    expect(requestId.required).toBe(true);
    for (const { path, method, operation } of documentedOperations()) {
      for (const [status, ref] of Object.entries(operation.responses as Record<string, Json>)) {
        const headers = deref(ref).headers ?? {};
        expect(headers['x-amz-pay-request-id'], `${method} ${path} ${status}`).toEqual({ $ref: '#/components/headers/RequestId' });
      }
    }
  });

  it('describes every wire object with all keys required and no others allowed', () => {
    const wire = responseSchemas().filter((r) => !/^getDocumentation/.test(r.where));
    const seen = new Set<Json>();
    const found = new Set<string>();
    let objects = 0;
    for (const root of wire) {
      for (const { schema, where } of objectSchemas(root.schema, root.where, seen)) {
        objects++;
        found.add(where);
        expect(schema.type, where).toBe('object');
        expect(schema.additionalProperties, `${where} allows no other keys`).toBe(false);
        const optional = optionalKeys[where]?.keys ?? [];
        for (const key of optional) expect(Object.keys(schema.properties), `${where} documents ${key}`).toContain(key);
        expect(schema.required, `${where}: every key is required, in order`).toEqual(Object.keys(schema.properties).filter((k) => !optional.includes(k)));
      }
    }
    expect(objects).toBeGreaterThan(40);
    for (const name of ['CheckoutSession', 'FinalizedCheckoutSession', 'ChargePermission', 'Charge', 'Refund', 'BuyerProfile', 'IssuedBuyerToken', 'DeliveryTracker', 'AuthorizationToken']) {
      expect(found, `${name} is the body of some response`).toContain(name);
    }

    const session = deref(component('CheckoutSession'));
    expect(session.required).toEqual([
      'checkoutSessionId', 'webCheckoutDetails', 'productType', 'paymentDetails', 'chargePermissionType', 'orderType',
      'recurringMetadata', 'paymentMethodOnFileMetadata', 'merchantDetails', 'merchantMetadata', 'supplementaryData', 'buyer',
      'billingAddress', 'paymentPreferences', 'statusDetails', 'shippingAddress', 'platformId', 'chargePermissionId', 'chargeId',
      'constraints', 'creationTimestamp', 'expirationTimestamp', 'storeId', 'providerMetadata', 'releaseEnvironment',
      'checkoutButtonText', 'deliverySpecifications', 'tokens',
    ]);

    // Finalize answers the same keys with cartDetails after paymentDetails, each described as in CheckoutSession.
    const finalized = deref(component('FinalizedCheckoutSession'));
    const withCart = [...session.required];
    withCart.splice(withCart.indexOf('paymentDetails') + 1, 0, 'cartDetails');
    expect(finalized.required).toEqual(withCart);
    const sessionKeys = Object.keys(session.properties);
    expect(Object.keys(finalized.properties).filter((k) => k !== 'cartDetails')).toEqual(sessionKeys);
    for (const key of sessionKeys) expect(finalized.properties[key], key).toEqual({ $ref: `#/components/schemas/CheckoutSession/properties/${key}` });
  });

  it('states the same field limits as the request validation', () => {
    const problems: string[] = [];
    const compare = (node: Json, schema: Schema, where: string) => {
      const d = deref(node);
      const fail = (why: string) => problems.push(`${where}: ${why}`);
      switch (schema.type) {
        case 'string': {
          if (d.type !== 'string') return fail(`type ${d.type}, expected string`);
          if (d.maxLength !== schema.max) fail(`maxLength ${d.maxLength}, validation says ${schema.max}`);
          if (d.pattern !== schema.pattern?.source) fail(`pattern ${d.pattern}, validation says ${schema.pattern?.source}`);
          const values = d.enum?.filter((v: unknown) => v !== null).sort();
          const allowed = schema.enum ? [...schema.enum].sort() : undefined;
          if (!same(values, allowed)) fail(`enum ${JSON.stringify(values)}, validation says ${JSON.stringify(allowed)}`);
          return;
        }
        case 'boolean':
          if (d.type !== 'boolean') fail(`type ${d.type}, expected boolean`);
          return;
        case 'amountOrNumberString': {
          const types = (d.anyOf ?? []).map((s: Json) => deref(s).type).sort();
          if (!same(types, ['number', 'string'])) fail(`expected anyOf string/number, got ${JSON.stringify(d)}`);
          return;
        }
        case 'price': {
          // Above the maximum a transaction amount is TransactionAmountExceeded, any other price InvalidParameterValue.
          const expected = schema.overMaximum === 'TransactionAmountExceeded' ? 'TransactionPriceInput' : 'PriceInput';
          if (node.$ref !== `#/components/schemas/${expected}`) fail(`expected the ${expected} schema, got ${JSON.stringify(node)}`);
          return;
        }
        case 'object': {
          if (d.type !== 'object') return fail(`type ${d.type}, expected object`);
          const keys = Object.keys(d.properties ?? {});
          if (!same(keys, Object.keys(schema.fields))) fail(`fields ${keys}, validation says ${Object.keys(schema.fields)}`);
          if (!same(d.required ?? [], schema.required ?? [])) fail(`required ${d.required}, validation says ${schema.required}`);
          const closed = schema.open ? true : false;
          if (d.additionalProperties !== closed) fail(`additionalProperties ${d.additionalProperties}, expected ${closed}`);
          for (const [key, child] of Object.entries(schema.fields)) if (d.properties?.[key]) compare(d.properties[key], child, `${where}.${key}`);
          return;
        }
        case 'array':
          if (d.type !== 'array') return fail(`type ${d.type}, expected array`);
          if (d.maxItems !== schema.max) fail(`maxItems ${d.maxItems}, validation says ${schema.max}`);
          compare(d.items, schema.items, `${where}[]`);
          return;
        case 'map':
          if (d.type !== 'object') return fail(`type ${d.type}, expected object`);
          if (d.maxProperties !== schema.max) fail(`maxProperties ${d.maxProperties}, validation says ${schema.max}`);
          if (d.propertyNames?.pattern !== schema.keys.source) fail(`propertyNames ${JSON.stringify(d.propertyNames)}, validation says ${schema.keys.source}`);
          compare(d.additionalProperties, schema.values, `${where}{}`);
          return;
      }
    };
    const body = (fields: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', fields, required });
    compare(component('CreateCheckoutSessionRequest'), body(createSessionFields, ['storeId', 'webCheckoutDetails']), 'CreateCheckoutSessionRequest');
    compare(component('UpdateCheckoutSessionRequest'), body(updateSessionFields), 'UpdateCheckoutSessionRequest');
    compare(component('CompleteCheckoutSessionRequest'), body(completeSessionFields), 'CompleteCheckoutSessionRequest');
    compare(component('ApproveCheckoutSessionRequest'), body(approveFields), 'ApproveCheckoutSessionRequest');
    // Required fields are the ones each operation passes to validateBody.
    compare(component('FinalizeCheckoutSessionRequest'), body(finalizeSessionFields, ['chargeAmount', 'paymentIntent']), 'FinalizeCheckoutSessionRequest');
    compare(component('UpdateChargePermissionRequest'), body(updateChargePermissionFields), 'UpdateChargePermissionRequest');
    compare(component('CloseChargePermissionRequest'), body(closeChargePermissionFields), 'CloseChargePermissionRequest');
    compare(component('CreateChargeRequest'), body(createChargeFields, ['chargePermissionId', 'chargeAmount']), 'CreateChargeRequest');
    compare(component('UpdateChargeRequest'), body(updateChargeFields, ['statusDetails']), 'UpdateChargeRequest');
    compare(component('CaptureChargeRequest'), body(captureChargeFields, ['captureAmount']), 'CaptureChargeRequest');
    compare(component('CancelChargeRequest'), body(cancelChargeFields), 'CancelChargeRequest');
    compare(component('CreateRefundRequest'), body(createRefundFields, ['chargeId', 'refundAmount']), 'CreateRefundRequest');
    compare(component('DeliveryTrackerRequest'), body(deliveryTrackerFields, ['deliveryDetails']), 'DeliveryTrackerRequest');
    compare(component('IssueBuyerTokenRequest'), body(issueBuyerTokenFields), 'IssueBuyerTokenRequest');
    expect(problems).toEqual([]);

    // Each request schema is the body of its operations.
    const bodies: Record<string, string> = {
      createCheckoutSession: 'CreateCheckoutSessionRequest', updateCheckoutSession: 'UpdateCheckoutSessionRequest', completeCheckoutSession: 'CompleteCheckoutSessionRequest',
      finalizeCheckoutSession: 'FinalizeCheckoutSessionRequest', updateChargePermission: 'UpdateChargePermissionRequest', closeChargePermission: 'CloseChargePermissionRequest',
      createCharge: 'CreateChargeRequest', updateCharge: 'UpdateChargeRequest', captureCharge: 'CaptureChargeRequest', cancelCharge: 'CancelChargeRequest',
      createRefund: 'CreateRefundRequest', deliveryTrackers: 'DeliveryTrackerRequest', approveCheckoutSession: 'ApproveCheckoutSessionRequest', issueBuyerToken: 'IssueBuyerTokenRequest',
    };
    for (const [id, schemaName] of Object.entries(bodies)) {
      const variants = documentedOperations().filter((o) => o.operation.operationId.replace(/InEnvironment$/, '') === id);
      expect(variants.length, id).toBeGreaterThan(0);
      for (const { operation } of variants) expect(deref(operation.requestBody).content['application/json'].schema, operation.operationId).toEqual(component(schemaName));
    }

    for (const name of ['PriceInput', 'TransactionPriceInput']) {
      const input = deref(component(name));
      expect(input.required, name).toEqual(['amount', 'currencyCode']);
      expect(input.additionalProperties, name).toBe(false);
      expect(input.properties, name).toEqual({ amount: component('AmountInput'), currencyCode: component('CurrencyCode') });
    }
    expect(deref(component('PriceInput')).nullable).toBe(true);
    expect(deref(component('TransactionPriceInput')).nullable, 'every transaction amount is a required field').toBeUndefined();
    expect(deref(component('CurrencyCode')).enum).toEqual([...currencies]);
    expect(deref(component('ApproveCheckoutSessionRequest')).properties.card.enum.filter((c: unknown) => c !== null).sort()).toEqual(Object.keys(simulatedCards).sort());
  });
});
