import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FactStore } from '../../../src/bff/store/factStore.js';
import { freshTenant, manualClock, startStorage, type TestStorage } from './support/storage.js';

describe('FactStore', () => {
  let storage: TestStorage;
  const clock = manualClock();
  let store: FactStore;
  beforeAll(async () => {
    storage = await startStorage();
    store = new FactStore(storage.doc, storage.prefix, clock);
  });
  afterAll(async () => storage?.close());

  it('appends facts oldest first, each with expiresAt seven days ahead', async () => {
    const tenantId = freshTenant();
    const t0 = clock();
    expect(await store.append(tenantId, 's1', [{ kind: 'topic', value: 'billing', sourceMessageId: 'm1', at: t0 }])).toBe(1);
    clock.advance(1000);
    await store.append(tenantId, 's1', [{ kind: 'preferred_contact_channel', value: 'email', sourceMessageId: 'm2', at: t0 + 1000 }]);
    expect((await store.list(tenantId, 's1')).map((f) => f.value)).toEqual(['billing', 'email']);
    const items = (
      await storage.doc.send(
        new QueryCommand({ TableName: `${storage.prefix}facts`, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `${tenantId}#s1` } }),
      )
    ).Items!;
    expect(items.map((item) => item.expiresAt)).toEqual([Math.floor(t0 / 1000) + 7 * 86400, Math.floor((t0 + 1000) / 1000) + 7 * 86400]);
  });

  it('never rewrites a fact: the same message, kind and value appended again changes nothing', async () => {
    const tenantId = freshTenant();
    const first = { kind: 'topic' as const, value: 'billing', sourceMessageId: 'm1', at: clock() };
    await store.append(tenantId, 's1', [first]);
    expect(await store.append(tenantId, 's1', [{ ...first, at: clock() + 5000 }])).toBe(0);
    expect(await store.list(tenantId, 's1')).toEqual([first]);
  });

  it('hides facts whose expiresAt has passed', async () => {
    const tenantId = freshTenant();
    await store.append(tenantId, 's1', [{ kind: 'topic', value: 'billing', sourceMessageId: 'm1', at: clock() }]);
    clock.advance(7 * 86400 * 1000);
    expect(await store.list(tenantId, 's1')).toEqual([]);
  });
});
