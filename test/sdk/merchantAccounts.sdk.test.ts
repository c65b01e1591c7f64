import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoKeyIds } from '../helpers/demoKeys.js';
import { sdkError, useLiveServer } from '../helpers/runningServer.js';

/** Merchant onboarding and account management through the official Node SDK. */

const suite = useLiveServer();

const address = { addressLine1: '450 Noda', city: 'Katori', stateOrRegion: 'Chiba', postalCode: '289-0314', countryCode: 'JP' };
/** An authorised merchant's registration: no login e-mail (the Node SDK's integration test payloads). */
const registration = (ref = `REF-${randomUUID()}`) => ({
  uniqueReferenceId: ref,
  ledgerCurrency: 'JPY',
  businessInfo: { businessType: 'INDIVIDUAL', countryOfEstablishment: 'JP', businessLegalName: 'TestingSubmerchant', businessAddress: address },
});
/** A solution provider's login-able account: businessInfo carries the merchant's e-mail. */
const creation = (ref = `Hanabii-${randomUUID()}`) => ({
  uniqueReferenceId: ref,
  ledgerCurrency: 'JPY',
  businessInfo: { email: `rufus-${randomUUID()}@abc.example`, businessType: 'CORPORATE', businessLegalName: 'Kunal Mehta', businessCategory: 'Beauty', countryOfEstablishment: 'JP', businessAddress: address },
  integrationInfo: { ipnEndpointUrls: ['https://shop.example/ipn'] },
  stores: [{ domainUrls: ['https://www.rufus.example'], storeName: "Rufus's Cafe", storeStatus: { state: 'Active' } }],
});

describe('registerAmazonPayAccount, updateAmazonPayAccount, deleteAmazonPayAccount', () => {
  it('registers (201, exactly the two ids), updates (204) and deletes (202) an account', async () => {
    const payload = registration();
    const registered = await suite.client.registerAmazonPayAccount(payload);
    expect(registered.status).toBe(201);
    expect(Object.keys(registered.data)).toEqual(['uniqueReferenceId', 'merchantAccountId']);
    expect(registered.data.uniqueReferenceId).toBe(payload.uniqueReferenceId);
    expect(registered.data.merchantAccountId).toMatch(/^A[A-Z0-9]{13}$/);
    const id = registered.data.merchantAccountId;

    const updated = await suite.client.updateAmazonPayAccount(id, { businessInfo: { businessDisplayName: 'Katori Shop' } });
    expect(updated.status).toBe(204);
    expect(updated.data).toBe('');
    const deleted = await suite.client.deleteAmazonPayAccount(id);
    expect(deleted.status).toBe(202);
    expect(deleted.data).toBe('');
    expect(deleted.headers['x-amz-pay-request-id']).toBeTruthy();
    expect(await sdkError(suite.client.deleteAmazonPayAccount(id))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
    expect(await sdkError(suite.client.updateAmazonPayAccount(id, {}))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
  });

  it('keeps one live account per uniqueReferenceId; deleting frees it', async () => {
    const payload = registration();
    const first = (await suite.client.registerAmazonPayAccount(payload)).data.merchantAccountId;
    expect(await sdkError(suite.client.registerAmazonPayAccount(payload))).toMatchObject({ status: 400, body: { reasonCode: 'InvalidRequest' } });
    await suite.client.deleteAmazonPayAccount(first);
    expect((await suite.client.registerAmazonPayAccount(payload)).status).toBe(201);
  });

  it('answers the documented errors for bad bodies', async () => {
    const { uniqueReferenceId: _r, ...noReference } = registration();
    expect(await sdkError(suite.client.registerAmazonPayAccount(noReference))).toMatchObject({ status: 400, body: { reasonCode: 'MissingParameterValue' } });
    expect(await sdkError(suite.client.registerAmazonPayAccount({ ...registration(), ledgerCurrency: 'XYZ' }))).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
    expect(await sdkError(suite.client.registerAmazonPayAccount({ ...registration(), website: 'x' }))).toMatchObject({ status: 400, body: { reasonCode: 'UnrecognizedField' } });
    const noLegalName = registration();
    delete (noLegalName.businessInfo as Record<string, unknown>).businessLegalName;
    expect(await sdkError(suite.client.registerAmazonPayAccount(noLegalName))).toMatchObject({ status: 400, body: { reasonCode: 'MissingParameterValue' } });
    const id = (await suite.client.registerAmazonPayAccount(registration())).data.merchantAccountId;
    expect(await sdkError(suite.client.updateAmazonPayAccount(id, { uniqueReferenceId: 'other' }))).toMatchObject({ status: 400, body: { reasonCode: 'UnrecognizedField' } });
  });
});

describe('createMerchantAccount, updateMerchantAccount, merchantAccountClaim', () => {
  it('creates an account with an authorization token, updates it with the token, and the merchant claims it: 303 with a Location', async () => {
    const payload = creation();
    const created = await suite.client.createMerchantAccount(payload);
    expect(created.status).toBe(201);
    expect(Object.keys(created.data)).toEqual(['uniqueReferenceId', 'merchantAccountId', 'authorizationToken']);
    const { merchantAccountId, uniqueReferenceId, authorizationToken } = created.data;
    expect(authorizationToken).toMatch(/^Atza\|/);

    const updated = await suite.client.updateMerchantAccount(merchantAccountId, { businessInfo: { businessDisplayName: "Rufus's Cafe" } }, { 'x-amz-pay-authtoken': authorizationToken });
    expect(updated.status).toBe(200);
    expect(updated.data).toEqual({ uniqueReferenceId, merchantAccountId });

    // The Node SDK calls claim with maxRedirects 0 and takes the 303 as success.
    const claimed = await suite.client.merchantAccountClaim(merchantAccountId, { uniqueReferenceId });
    expect(claimed.status).toBe(303);
    expect(claimed.headers.location).toBe(`https://sellercentral.amazon.com/merchant-account-claim?merchantAccountId=${merchantAccountId}`);
    expect(claimed.data).toEqual({ uniqueReferenceId, merchantAccountId });
    expect(String(claimed.headers['content-type'])).toMatch(/^application\/json/);
    expect(claimed.headers['x-amz-pay-request-id']).toBeTruthy();

    const afterClaim = await sdkError(suite.client.updateMerchantAccount(merchantAccountId, { businessInfo: {} }, { 'x-amz-pay-authtoken': authorizationToken }));
    expect(afterClaim).toMatchObject({ status: 400, body: { reasonCode: 'InvalidRequest' } });
  });

  it('needs the account\'s own token to update it, and its reference to claim it', async () => {
    const a = (await suite.client.createMerchantAccount(creation())).data;
    const b = (await suite.client.createMerchantAccount(creation())).data;
    const otherToken = await sdkError(suite.client.updateMerchantAccount(a.merchantAccountId, { businessInfo: {} }, { 'x-amz-pay-authtoken': b.authorizationToken }));
    expect(otherToken).toMatchObject({ status: 403, body: { reasonCode: 'InvalidAuthorizationToken' } });
    const madeUp = await sdkError(suite.client.updateMerchantAccount(a.merchantAccountId, { businessInfo: {} }, { 'x-amz-pay-authtoken': 'Atza|made-up' }));
    expect(madeUp).toMatchObject({ status: 403, body: { reasonCode: 'InvalidAuthorizationToken' } });
    const noToken = await sdkError(suite.client.updateAmazonPayAccount(a.merchantAccountId, { businessInfo: {} }));
    expect(noToken).toMatchObject({ status: 400, body: { reasonCode: 'MissingHeader' } });
    const wrongReference = await sdkError(suite.client.merchantAccountClaim(a.merchantAccountId, { uniqueReferenceId: b.uniqueReferenceId }));
    expect(wrongReference).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
    const registered = (await suite.client.registerAmazonPayAccount(registration())).data;
    const notClaimable = await sdkError(suite.client.merchantAccountClaim(registered.merchantAccountId, { uniqueReferenceId: registered.uniqueReferenceId }));
    expect(notClaimable).toMatchObject({ status: 400, body: { reasonCode: 'InvalidRequest' } });
    expect(await sdkError(suite.client.merchantAccountClaim('ANOSUCHACCOUNT1', { uniqueReferenceId: 'x' }))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
  });
});

/**
 * Create Store and Update Store: the PHP SDK's store management of a solution provider's merchant
 * account (POST /merchantAccounts/{id}/stores, PATCH /merchantAccounts/{id}/stores/{storeId}, with
 * the account's x-amz-pay-authtoken). The Node SDK has no method for them, so they go through its
 * signed generic apiCall, as the PHP SDK sends them.
 */
describe('createStore, updateStore (PHP SDK, through apiCall)', () => {
  const storeBody = {
    allowedOriginDomains: ['https://example.com', 'https://www.example.com'],
    allowedRedirectURLs: ['https://example.com/return', 'https://example.com/cancel'],
    storeName: 'My Store',
    privacyPolicyUrl: 'https://example.com/privacy',
    merchantLogoUrl: 'https://example.com/logo.png',
  };
  const createStore = (accountId: string, payload: object, headers?: Record<string, string>) =>
    suite.client.apiCall({ method: 'POST', urlFragment: `merchantAccounts/${accountId}/stores`, payload, headers });
  const updateStore = (accountId: string, storeId: string, payload: object, headers?: Record<string, string>) =>
    suite.client.apiCall({ method: 'PATCH', urlFragment: `merchantAccounts/${accountId}/stores/${storeId}`, payload, headers });

  it('creates a store on a provider\'s account (201, a storeId) and updates it (200)', async () => {
    const account = (await suite.client.createMerchantAccount(creation())).data;
    const token = { 'x-amz-pay-authToken': account.authorizationToken };
    const created = await createStore(account.merchantAccountId, storeBody, token);
    expect(created.status).toBe(201);
    expect(created.headers['x-amz-pay-request-id']).toBeTruthy();
    expect(created.data).toEqual({ storeId: expect.stringMatching(/^amzn1\.application-oa2-client\.[0-9a-f]{32}$/), ...storeBody });
    const { storeId } = created.data;

    const updated = await updateStore(account.merchantAccountId, storeId, { storeName: 'Updated Store Name', allowedOriginDomains: ['https://updated-example.com'] }, token);
    expect(updated.status).toBe(200);
    expect(updated.data).toEqual({ ...storeBody, storeId, storeName: 'Updated Store Name', allowedOriginDomains: ['https://updated-example.com'] });
  });

  it('needs the account\'s own token, a known account and store, and the documented fields; a refusal changes nothing', async () => {
    const a = (await suite.client.createMerchantAccount(creation())).data;
    const b = (await suite.client.createMerchantAccount(creation())).data;
    const tokenA = { 'x-amz-pay-authtoken': a.authorizationToken };
    const tokenB = { 'x-amz-pay-authtoken': b.authorizationToken };
    expect(await sdkError(createStore(a.merchantAccountId, storeBody))).toMatchObject({ status: 400, body: { reasonCode: 'MissingHeader' } });
    expect(await sdkError(createStore(a.merchantAccountId, storeBody, tokenB))).toMatchObject({ status: 403, body: { reasonCode: 'InvalidAuthorizationToken' } });
    expect(await sdkError(createStore('ANOSUCHACCOUNT1', storeBody, tokenA))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
    expect(await sdkError(createStore(a.merchantAccountId, { ...storeBody, storeUrl: 'x' }, tokenA))).toMatchObject({ status: 400, body: { reasonCode: 'UnrecognizedField' } });
    expect(await sdkError(createStore(a.merchantAccountId, { ...storeBody, allowedOriginDomains: ['not a url'] }, tokenA))).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
    const { storeName: _n, ...noName } = storeBody;
    expect(await sdkError(createStore(a.merchantAccountId, noName, tokenA))).toMatchObject({ status: 400, body: { reasonCode: 'MissingParameterValue' } });

    const { storeId } = (await createStore(a.merchantAccountId, storeBody, tokenA)).data;
    expect(await sdkError(updateStore(a.merchantAccountId, 'amzn1.application-oa2-client.00000000000000000000000000000000', {}, tokenA))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
    // Another account's store is not found through this one, even with that account's own token.
    expect(await sdkError(updateStore(b.merchantAccountId, storeId, { storeName: 'Taken' }, tokenB))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
    expect(await sdkError(updateStore(a.merchantAccountId, storeId, { storeName: 'Taken' }, tokenB))).toMatchObject({ status: 403, body: { reasonCode: 'InvalidAuthorizationToken' } });
    expect(await sdkError(updateStore(a.merchantAccountId, storeId, { storeName: 'x'.repeat(300) }, tokenA))).toMatchObject({ status: 400, body: { reasonCode: 'InvalidParameterValue' } });
    const unchanged = await updateStore(a.merchantAccountId, storeId, {}, tokenA);
    expect(unchanged.data).toEqual({ storeId, ...storeBody });

    // A merchant's own registration has no provider token to manage stores with.
    const registered = (await suite.client.registerAmazonPayAccount(registration())).data;
    expect(await sdkError(createStore(registered.merchantAccountId, storeBody, tokenA))).toMatchObject({ status: 403, body: { reasonCode: 'InvalidAuthorizationToken' } });
  });
});

describe('merchant accounts belong to the environment and region that made them (API introduction: separate endpoints)', () => {
  it('a sandbox NA account is unknown to the LIVE- key and to EU, whose own registrations may use the same reference', async () => {
    const live = suite.live.sdk({ publicKeyId: demoKeyIds.live, sandbox: false });
    const eu = suite.live.sdk({ region: 'eu' });
    const payload = creation();
    const account = (await suite.client.createMerchantAccount(payload)).data;
    const token = { 'x-amz-pay-authtoken': account.authorizationToken };
    for (const other of [live, eu]) {
      expect(await sdkError(other.updateAmazonPayAccount(account.merchantAccountId, { businessInfo: {} }))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
      expect(await sdkError(other.merchantAccountClaim(account.merchantAccountId, { uniqueReferenceId: payload.uniqueReferenceId }))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
      expect(await sdkError(other.deleteAmazonPayAccount(account.merchantAccountId))).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
      const storeCall = other.apiCall({ method: 'POST', urlFragment: `merchantAccounts/${account.merchantAccountId}/stores`, payload: { storeName: 'S' }, headers: token });
      expect(await sdkError(storeCall)).toMatchObject({ status: 404, body: { reasonCode: 'ResourceNotFound' } });
      const own = await other.registerAmazonPayAccount({ ...registration(payload.uniqueReferenceId) });
      expect(own.status).toBe(201);
      expect(own.data.merchantAccountId).not.toBe(account.merchantAccountId);
    }
    // Home is untouched: the reference still names the one account there.
    expect(await sdkError(suite.client.createMerchantAccount(payload))).toMatchObject({ status: 400, body: { reasonCode: 'InvalidRequest' } });
    expect((await suite.client.updateMerchantAccount(account.merchantAccountId, { businessInfo: {} }, token)).status).toBe(200);
    expect((await suite.client.deleteAmazonPayAccount(account.merchantAccountId)).status).toBe(202);
    expect((await suite.client.createMerchantAccount(payload)).status).toBe(201);
  });
});
