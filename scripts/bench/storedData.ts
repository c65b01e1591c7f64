/**
 * Data directories holding many stored objects, written straight into the store's snapshot format
 * (not through the API, which would take hours at a million): the records are copies of the
 * ones one real create + complete leaves behind, each with its own id, packed as the running
 * store packs records at rest.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { signRequest } from '../../server/signing/signRequest.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { writeSnapshot } from '../../server/store/snapshot.js';
import type { Collection } from '../../server/store/store.js';
import { completeBody, completePath, createBody, createPath, demoPublicKeyId } from './requests.js';

/** One stored record of a real run, to copy. */
export interface RecordTemplate {
  ns: string;
  collection: Collection;
  id: string;
  json: string;
  dueAt: number | null;
}

/** The records one signed create + complete leaves in the store (session, permission, charge, idempotency records). */
export async function recordTemplates(privateKeyPem: string): Promise<RecordTemplate[]> {
  const store = new MemoryStore({ coldAfterMs: Infinity });
  const config = loadConfig([], {}, { store: 'memory', logLevel: 'silent', scenariosDir: null, http: true, https: false, httpPort: 0, httpsPort: 0 });
  const app = await buildApp(config, { store });
  try {
    const call = async (method: 'POST', url: string, body: string) => {
      const signed = signRequest({ method, url: `https://127.0.0.1:8443${url}`, body, privateKey: privateKeyPem, publicKeyId: demoPublicKeyId, headers: { 'x-amz-pay-idempotency-key': randomUUID().replace(/-/g, '') } });
      const res = await app.inject({ method, url, headers: signed.headers, payload: body });
      if (res.statusCode >= 300) throw new Error(`templates: ${url} answered ${res.statusCode}: ${res.payload.slice(0, 300)}`);
      return JSON.parse(res.payload) as { checkoutSessionId: string };
    };
    const { checkoutSessionId } = await call('POST', createPath, createBody);
    await call('POST', completePath(checkoutSessionId), completeBody);
    const due = new Map(store.dueRecords().map((d) => [`${d.ns}\u0000${d.collection}\u0000${d.id}`, d.dueAt]));
    return [...store.records()].map((r) => ({ ns: r.ns, collection: r.collection, id: r.id, json: JSON.stringify(r.value), dueAt: due.get(`${r.ns}\u0000${r.collection}\u0000${r.id}`) ?? null }));
  } finally {
    await app.close();
  }
}

/** A distinct id shaped like the template's (UUIDs stay UUIDs: the API checks their form). */
function cloneId(id: string, i: number): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return `${id.slice(0, 24)}${i.toString(16).padStart(12, '0')}`;
  return `${id}-${i}`;
}

/**
 * Writes `<dir>/db.json` holding `count` records cycled from the templates, each with its own id.
 * Returns some checkout session ids (for reads), the snapshot's size, and how long it took.
 */
export async function writeStoredData(dir: string, count: number, templates: readonly RecordTemplate[]): Promise<{ sessionIds: string[]; bytes: number; ms: number }> {
  const started = performance.now();
  const state = new MemoryStore({ coldAfterMs: Infinity });
  for (const t of templates) state.packer.chooseDictionary(t.collection, templates.filter((o) => o.collection === t.collection).map((o) => o.json));
  const sessionIds: string[] = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const t = templates[i % templates.length]!;
    const id = cloneId(t.id, i);
    const json = t.json.split(t.id).join(id);
    state.load({ ns: t.ns, collection: t.collection, id }, { value: undefined, packed: state.packer.pack(t.collection, json), dueAt: t.dueAt, changedAt: now, seq: i + 1 });
    if (t.collection === 'checkoutSessions' && sessionIds.length < 20_000) sessionIds.push(id);
  }
  const { bytes } = await writeSnapshot(path.join(dir, 'db.json'), state, { logGeneration: 1, sliceMs: 1_000 });
  return { sessionIds, bytes, ms: performance.now() - started };
}
