import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlledClock } from '../../server/clock/controlledClock.js';
import { seededSource } from '../../server/ids/random.js';
import { EmbeddedStore, FileStore, MemoryStore } from '../../server/store/index.js';
import { IdReservation, SERVER_NAMESPACE } from '../../server/store/serverState.js';
import { readySessionBody, testApp, type TestApp } from '../helpers/testApp.js';
import { tempDirs } from './tempDir.js';

const temp = tempDirs();
let apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.map((a) => a.close()));
  apps = [];
  await temp.cleanup();
});

/** An app on a file store at `file`, as a restart of the process would build it. */
async function start(file: string, seed: string | null = null): Promise<TestApp> {
  const t = await testApp({ seed }, { store: new FileStore(file), clock: new ControlledClock(() => Date.now()), ids: undefined });
  apps.push(t);
  return t;
}

async function stop(t: TestApp): Promise<void> {
  apps = apps.filter((a) => a !== t);
  await t.close();
}

describe('--seed across restarts', () => {
  it('never hands out an id again after a restart, so nothing stored is overwritten', async () => {
    const file = path.join(await temp.make(), 'db.json');
    let t = await start(file, 'fixed');
    const first = await t.call('POST', '/v2/checkoutSessions', readySessionBody({ merchantMetadata: { merchantReferenceId: 'first' } }));
    expect(first.status).toBe(201);
    await stop(t);

    t = await start(file, 'fixed');
    const second = await t.call('POST', '/v2/checkoutSessions', readySessionBody({ merchantMetadata: { merchantReferenceId: 'second' } }));
    expect(second.status).toBe(201);
    expect(second.body.checkoutSessionId).not.toBe(first.body.checkoutSessionId);
    const kept = await t.call('GET', `/v2/checkoutSessions/${first.body.checkoutSessionId}`);
    expect(kept.body.merchantMetadata.merchantReferenceId).toBe('first');
  });

  it('still gives a fresh data directory the same ids for the same seed', async () => {
    const ids: string[] = [];
    for (let run = 0; run < 2; run++) {
      const t = await start(path.join(await temp.make(), 'db.json'), 'fixed');
      ids.push((await t.call('POST', '/v2/checkoutSessions', readySessionBody())).body.checkoutSessionId);
      await stop(t);
    }
    expect(ids[0]).toBe(ids[1]);
  });

  it('moves its mark ahead before the ids of a new block are used, and writes it again after a full reset', async () => {
    const engine = new MemoryStore();
    const store = new EmbeddedStore(engine);
    const source = seededSource('s');
    const reservation = new IdReservation(store, source, 100);
    await reservation.restore();
    expect(engine.get(SERVER_NAMESPACE, 'settings', 'idGenerator')).toEqual({ reservedWords: 100 });
    source.random(4 * 60); // 60 words: past half the block
    expect(engine.get(SERVER_NAMESPACE, 'settings', 'idGenerator')).toEqual({ reservedWords: 160 });
    await store.reset();
    await reservation.persist();
    expect(engine.get(SERVER_NAMESPACE, 'settings', 'idGenerator')).toEqual({ reservedWords: 160 });

    const restarted = seededSource('s');
    await new IdReservation(store, restarted, 100).restore();
    expect(restarted.words()).toBe(160);
  });
});

describe('clocks across a clean restart', () => {
  it('keeps the global offset, a merchant\'s frozen clock and another merchant\'s offset', async () => {
    const file = path.join(await temp.make(), 'db.json');
    let t = await start(file);
    await t.raw({ method: 'POST', url: '/__admin/clock', payload: { advanceSeconds: 3600 } });
    await t.raw({ method: 'POST', url: '/__admin/clock?merchant=SANDBOX-AAA', payload: { set: '2030-01-01T00:00:00Z', frozen: true } });
    await t.raw({ method: 'POST', url: '/__admin/clock?merchant=SANDBOX-BBB', payload: { advanceSeconds: 86_400 } });
    const before = {
      global: (await t.raw({ method: 'GET', url: '/__admin/clock' })).body,
      a: (await t.raw({ method: 'GET', url: '/__admin/clock?merchant=SANDBOX-AAA' })).body,
      b: (await t.raw({ method: 'GET', url: '/__admin/clock?merchant=SANDBOX-BBB' })).body,
    };
    await stop(t);

    t = await start(file);
    const global = (await t.raw({ method: 'GET', url: '/__admin/clock' })).body;
    const a = (await t.raw({ method: 'GET', url: '/__admin/clock?merchant=SANDBOX-AAA' })).body;
    const b = (await t.raw({ method: 'GET', url: '/__admin/clock?merchant=SANDBOX-BBB' })).body;
    expect(global.offsetSeconds).toBe(before.global.offsetSeconds);
    expect(a).toEqual(before.a);
    expect(a.frozen).toBe(true);
    expect(b.offsetSeconds).toBe(86_400);
    expect(Date.parse(b.now) - Date.parse(global.now)).toBeGreaterThan(86_390_000);
  });

  it('forgets a merchant\'s clock that a reset dropped', async () => {
    const file = path.join(await temp.make(), 'db.json');
    let t = await start(file);
    await t.raw({ method: 'POST', url: '/__admin/clock?merchant=SANDBOX-AAA', payload: { advanceSeconds: 600 } });
    await t.raw({ method: 'POST', url: '/__admin/reset?merchant=SANDBOX-AAA' });
    await stop(t);
    t = await start(file);
    expect((await t.raw({ method: 'GET', url: '/__admin/clock?merchant=SANDBOX-AAA' })).body.offsetSeconds).toBe(0);
  });
});
