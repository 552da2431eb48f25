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
    await store.put(tenantId, 's1', { text: 'about flu shots', updatedAt: clock(), sourceMessageId: 'm1', turns: 1 });
    const item = (await storage.doc.send(new GetCommand({ TableName: `${storage.prefix}summaries`, Key: { pk: `${tenantId}#s1` } }))).Item!;
    expect(item.expiresAt).toBe(Math.floor(clock() / 1000) + 7 * 24 * 3600);
    expect(await store.get(tenantId, 's1')).toEqual({ text: 'about flu shots', updatedAt: clock(), sourceMessageId: 'm1', turns: 1 });
  });

  it('does not return a summary whose expiresAt has passed, though it is still stored', async () => {
    const tenantId = freshTenant();
    await store.put(tenantId, 's1', { text: 'old', updatedAt: clock(), sourceMessageId: 'm1', turns: 1 });
    clock.advance(7 * DAY);
    expect(await store.get(tenantId, 's1')).toBeUndefined();
    const item = (await storage.doc.send(new GetCommand({ TableName: `${storage.prefix}summaries`, Key: { pk: `${tenantId}#s1` } }))).Item;
    expect(item).toBeDefined();
  });

  it('keeps the newer summary when an older update arrives late', async () => {
    const tenantId = freshTenant();
    const now = clock();
    expect(await store.put(tenantId, 's1', { text: 'newer', updatedAt: now + 10, sourceMessageId: 'm2', turns: 2 })).toBe(true);
    expect(await store.put(tenantId, 's1', { text: 'older', updatedAt: now, sourceMessageId: 'm1', turns: 1 })).toBe(false);
    expect((await store.get(tenantId, 's1'))?.text).toBe('newer');
  });

  it('keeps sessions and tenants apart', async () => {
    const [a, b] = [freshTenant(), freshTenant()];
    await store.put(a, 's1', { text: 'a', updatedAt: clock(), sourceMessageId: 'm', turns: 1 });
    expect(await store.get(b, 's1')).toBeUndefined();
    expect(await store.get(a, 's2')).toBeUndefined();
  });
});
