/**
 * A micro-benchmark of the store alone, doing what a Complete Checkout Session asks of it: the
 * settler's nextDue, then one transaction (through transactWithIds and NotifyingStore, as the app
 * wires it) that reads the session and three absent records, and writes a new version of the
 * session (sharing its unchanged parts with the stored one, as the domain does), a new charge and
 * a new charge permission, each with a due time. `--concurrency` transactions are in flight at a
 * time, so the file store's group commit works as under load; ids come from a counter, so only the
 * store is measured. Prints CPU µs per transaction (the whole process, so the file store's write
 * and fsync count too): the minimum and the median of the rounds, since other work on the machine
 * only ever adds.
 *
 *   npm run build --silent && node dist/scripts/bench/storeCommit.js [--store file|memory] [--rounds 15]
 *     [--per-round 400] [--concurrency 32] [--stored 5000] [--profile dir]
 *
 * Not part of `npm test` and not a pass/fail check: a tool for comparing before and after.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { IdGenerator } from '../../server/domain/ids.js';
import { NotifyingStore } from '../../server/ipn/notifyingStore.js';
import { EmbeddedStore, FileStore, MemoryStore, type Put, type Store, type StoreView } from '../../server/store/index.js';
import { transactWithIds } from '../../server/transactWithIds.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'file' },
    rounds: { type: 'string', default: '15' },
    'per-round': { type: 'string', default: '400' },
    concurrency: { type: 'string', default: '32' },
    stored: { type: 'string', default: '5000' },
    profile: { type: 'string' },
  },
});
const kind = values.store === 'memory' ? 'memory' : 'file';
const rounds = Number(values.rounds);
const perRound = Number(values['per-round']);
const concurrency = Number(values.concurrency);
const stored = Number(values.stored);
const ns = 'SANDBOX-AMZNPAYMOCKDEMO000000001';
const DAY = 86_400_000;

type Json = Record<string, unknown>;

const address = (name: string): Json => ({ name, addressLine1: '410 Terry Ave N', addressLine2: null, addressLine3: null, city: 'Seattle', county: null, district: null, stateOrRegion: 'WA', postalCode: '98109', countryCode: 'US', phoneNumber: '8005550100' });
const timestamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d+/g, '');

/** A ready checkout session record, about 2.3 KB of JSON, shaped like the domain's. */
function sessionRecord(id: string, now: number): Json {
  return {
    session: {
      checkoutSessionId: id,
      webCheckoutDetails: { checkoutReviewReturnUrl: 'https://merchant.example/review', checkoutResultReturnUrl: 'https://merchant.example/result', amazonPayRedirectUrl: null, checkoutCancelUrl: null },
      productType: 'PayAndShip',
      paymentDetails: { paymentIntent: 'Authorize', canHandlePendingAuthorization: false, chargeAmount: { amount: '50.00', currencyCode: 'USD' }, totalOrderAmount: null, softDescriptor: null, presentmentCurrency: 'USD', allowOvercharge: null, extendExpiration: null },
      merchantMetadata: { merchantReferenceId: 'bench-order', merchantStoreName: 'Demo Store', noteToBuyer: null, customInformation: null },
      buyer: { buyerId: 'amzn1.account.6Q12BEKCLX3KSD6VFFBO0PY0ORRG', name: 'Test Buyer', email: 'test.buyer@example.com', phoneNumber: '8005550100', primeMembershipTypes: null },
      billingAddress: address('Test Buyer'),
      paymentPreferences: [{ paymentDescriptor: 'Visa ****1111 (Amazon Pay)' }],
      statusDetails: { state: 'Open', reasonCode: null, reasonDescription: null, lastUpdatedTimestamp: timestamp(now) },
      shippingAddress: address('Test Buyer'),
      platformId: null,
      chargePermissionId: null,
      chargeId: null,
      constraints: [],
      creationTimestamp: timestamp(now),
      expirationTimestamp: timestamp(now + DAY),
      storeId: 'amzn1.application-oa2-client.8b5e45312b5248b69eeaStoreId01',
      providerMetadata: { providerReferenceId: null },
      releaseEnvironment: 'Sandbox',
      deliverySpecifications: null,
      checkoutButtonText: null,
    },
    meta: { region: 'na', environment: 'sandbox', createdAt: now, approvedAt: now, buyerToken: null, cardLast4: '1111' },
  };
}

interface SessionShape {
  session: Json & { merchantMetadata: Json; buyer: Json; shippingAddress: Json; billingAddress: Json; paymentPreferences: Json[]; statusDetails: Json };
  meta: Json;
}

/** The work of a complete as far as the store sees it. */
function complete(view: StoreView, ids: IdGenerator, sessionId: string, now: number): { puts: Put[]; result: string } {
  const old = view.get<SessionShape>('checkoutSessions', sessionId);
  if (!old) throw new Error(`no session ${sessionId}`);
  const permissionId = ids.chargePermissionId('na', 'sandbox', 'OneTime');
  const chargeId = ids.chargeId(permissionId);
  view.get('chargePermissions', permissionId);
  view.get('charges', chargeId);
  view.get('settings', 'ipn');
  const s = old.session;
  const ts = timestamp(now);
  const session = { ...old, session: { ...s, statusDetails: { state: 'Completed', reasonCode: null, reasonDescription: null, lastUpdatedTimestamp: ts }, chargePermissionId: permissionId, chargeId }, meta: { ...old.meta, completedAt: now } };
  const charge = {
    charge: {
      chargeId, chargeAmount: { amount: '50.00', currencyCode: 'USD' }, chargePermissionId: permissionId, captureAmount: null, refundedAmount: null, softDescriptor: null,
      providerMetadata: s.providerMetadata, convertedAmount: null, conversionRate: null, channel: 'Web', chargeInitiator: 'CITU',
      statusDetails: { state: 'Authorized', reasonCode: null, reasonDescription: null, lastUpdatedTimestamp: ts },
      creationTimestamp: ts, expirationTimestamp: timestamp(now + 30 * DAY), releaseEnvironment: 'Sandbox', merchantMetadata: s.merchantMetadata, platformId: null, webCheckoutDetails: null,
    },
    meta: { region: 'na', environment: 'sandbox', authorizedAt: now, settle: null },
  };
  const permission = {
    chargePermission: {
      chargePermissionId: permissionId, chargePermissionReferenceId: null, platformId: null, buyer: s.buyer, shippingAddress: s.shippingAddress, billingAddress: s.billingAddress,
      paymentPreferences: s.paymentPreferences,
      statusDetails: { state: 'NonChargeable', reasons: [{ reasonCode: 'ChargeInProgress', reasonDescription: 'A charge is already in progress. You cannot initiate a new charge unless previous charge is canceled.' }], lastUpdatedTimestamp: ts },
      creationTimestamp: ts, expirationTimestamp: timestamp(now + 180 * DAY), merchantMetadata: s.merchantMetadata, releaseEnvironment: 'Sandbox',
      limits: { amountLimit: { amount: '50.00', currencyCode: 'USD' }, amountBalance: { amount: '50.00', currencyCode: 'USD' } },
      chargePermissionType: 'OneTime', recurringMetadata: null, presentmentCurrency: 'USD',
    },
    meta: { region: 'na', environment: 'sandbox', currency: 'USD', amountLimitMinor: 5000, capturedMinor: 0, chargeCount: 1, openChargeIds: [chargeId], paymentMethodInvalid: false, card: '1111', expiresAt: now + 180 * DAY },
  };
  return {
    puts: [
      { collection: 'charges', id: chargeId, value: charge, dueAt: now + 30 * DAY },
      { collection: 'chargePermissions', id: permissionId, value: permission, dueAt: now + 180 * DAY },
      { collection: 'checkoutSessions', id: sessionId, value: session, dueAt: now + DAY },
    ],
    result: chargeId,
  };
}

/** Ids from a counter: the store's cost alone, whatever the real generator costs. */
function countingIds(): IdGenerator {
  let n = 0;
  const next = () => String(++n).padStart(7, '0');
  return {
    uuid: () => `00000000-0000-4000-8000-${next().padStart(12, '0')}`,
    chargePermissionId: () => `S01-${next()}-${next()}`,
    chargeId: (base: string) => `${base}-C${next()}`,
  } as Partial<IdGenerator> as IdGenerator;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'apm-storecommit-'));
  const engine = kind === 'file' ? new FileStore(path.join(dir, 'db.json')) : new MemoryStore();
  // As the app with no IPN endpoint configured (the bench's case): nothing to notify.
  const ipn = { hasEndpoints: () => false, outboxRecords: () => [], attemptFirst: () => {} };
  const store: Store = new NotifyingStore(new EmbeddedStore(engine), ipn);
  await store.open();
  const ids = countingIds();
  const deps = { store, ids };
  const now = Date.now();
  const sessionIds = Array.from({ length: stored + rounds * perRound }, () => ids.uuid());
  for (let i = 0; i < sessionIds.length; i += 500) {
    const puts = sessionIds.slice(i, i + 500).map((id): Put => ({ collection: 'checkoutSessions', id, value: sessionRecord(id, now), dueAt: now + DAY }));
    await store.transact(ns, () => ({ puts, result: undefined }));
  }
  if (engine instanceof FileStore) await engine.compact();
  let next = 0;
  const one = async () => {
    const id = sessionIds[next++]!;
    await store.nextDue();
    await transactWithIds(deps, ns, (view, drawn) => complete(view, drawn, id, Date.now()));
  };
  const round = async () => {
    let left = perRound;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (left-- > 0) await one();
      }),
    );
  };
  const profiler = values.profile === undefined ? null : new Session();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r === 1 && profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
      await profiler.post('Profiler.start');
    }
    const cpu = process.cpuUsage();
    await round();
    const used = process.cpuUsage(cpu);
    if (r > 0) samples.push((used.user + used.system) / perRound); // round 0 warms up
  }
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(path.join(values.profile!, `storeCommit-${kind}.cpuprofile`), JSON.stringify(profile));
    profiler.disconnect();
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  console.log(`${kind} store, ${stored} stored, ${samples.length} rounds of ${perRound}: CPU per transaction min ${samples[0]!.toFixed(1)} µs, median ${median.toFixed(1)} µs`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
