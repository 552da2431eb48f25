import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SummaryStore } from '../../../src/bff/store/summaryStore.js';
import { freshTenant, manualClock, startStorage, type TestStorage } from './support/storage.js';

const DAY = 24 * 3600 * 1000;

describe('SummaryStore', () => {
  let storage: TestStorage;
  const clock = manualClock();
  let store: SummaryStore;
  beforeAll(async () => {
    storage = await startStorage();
    store = new SummaryStore(storage.doc, storage.prefix, clock);
  });
  afterAll(async () => storage?.close());

  it('stores the summary with expiresAt seven days ahead, in epoch seconds', async () => {
    const tenantId = freshTenant();
    await store.put(tenantId, 's1', { text: 'about flu shots', updatedAt: clock(), sourceMessageId: 'm1', turns: 1 }, undefined);
    const item = (await storage.doc.send(new GetCommand({ TableName: `${storage.prefix}summaries`, Key: { pk: `${tenantId}#s1` } }))).Item!;
    expect(item.expiresAt).toBe(Math.floor(clock() / 1000) + 7 * 24 * 3600);
    expect(await store.get(tenantId, 's1')).toEqual({ text: 'about flu shots', updatedAt: clock(), sourceMessageId: 'm1', turns: 1 });
  });

  it('does not return a summary whose expiresAt has passed, though it is still stored', async () => {
    const tenantId = freshTenant();
    await store.put(tenantId, 's1', { text: 'old', updatedAt: clock(), sourceMessageId: 'm1', turns: 1 }, undefined);
    clock.advance(7 * DAY);
    expect(await store.get(tenantId, 's1')).toBeUndefined();
    const item = (await storage.doc.send(new GetCommand({ TableName: `${storage.prefix}summaries`, Key: { pk: `${tenantId}#s1` } }))).Item;
    expect(item).toBeDefined();
  });

  it('replaces only the summary an update was made from, so no turn drops out of it', async () => {
    const tenantId = freshTenant();
    const first = { text: 'first', updatedAt: clock(), sourceMessageId: 'm1', turns: 1 };
    expect(await store.put(tenantId, 's1', first, undefined)).toBe(true);
    // A second writer that also saw no summary is refused.
    expect(await store.put(tenantId, 's1', { ...first, text: 'also first', sourceMessageId: 'm1b' }, undefined)).toBe(false);
    clock.advance(10);
    const second = { text: 'second', updatedAt: clock(), sourceMessageId: 'm2', turns: 2 };
    expect(await store.put(tenantId, 's1', second, first)).toBe(true);
    // Made from the first summary while the second was stored: refused, the second stays.
    expect(await store.put(tenantId, 's1', { text: 'stale', updatedAt: clock() + 5, sourceMessageId: 'm3', turns: 2 }, first)).toBe(false);
    expect(await store.get(tenantId, 's1')).toEqual(second);
  });

  it('writes over an expired summary as over none', async () => {
    const tenantId = freshTenant();
    await store.put(tenantId, 's1', { text: 'old', updatedAt: clock(), sourceMessageId: 'm1', turns: 1 }, undefined);
    expect(await store.put(tenantId, 's1', { text: 'early', updatedAt: clock(), sourceMessageId: 'm2', turns: 1 }, undefined)).toBe(false);
    clock.advance(7 * DAY);
    expect(await store.put(tenantId, 's1', { text: 'fresh', updatedAt: clock(), sourceMessageId: 'm2', turns: 1 }, undefined)).toBe(true);
    expect((await store.get(tenantId, 's1'))?.text).toBe('fresh');
  });

  it('keeps sessions and tenants apart', async () => {
    const [a, b] = [freshTenant(), freshTenant()];
    await store.put(a, 's1', { text: 'a', updatedAt: clock(), sourceMessageId: 'm', turns: 1 }, undefined);
    expect(await store.get(b, 's1')).toBeUndefined();
    expect(await store.get(a, 's2')).toBeUndefined();
  });
});
