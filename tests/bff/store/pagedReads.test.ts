import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/bff/errors.js';
import { collect, queryItems, scanItems } from '../../../src/bff/store/pagedReads.js';
import { freshTenant, startStorage, type TestStorage } from './support/storage.js';

/** Counts the storage calls a client makes, by command name. */
function countCalls(client: DynamoDBClient): Map<string, number> {
  const calls = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => (args) => {
      const name = String(context.commandName);
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize' },
  );
  return calls;
}

describe('paged reads on embedded storage', () => {
  let storage: TestStorage;
  let table = '';
  let calls: Map<string, number>;
  beforeAll(async () => {
    storage = await startStorage();
    table = `${storage.prefix}facts`;
    calls = countCalls(storage.raw);
  });
  afterAll(async () => storage?.close());

  const seed = async (pk: string, count: number) => {
    for (let i = 0; i < count; i++) {
      await storage.doc.send(new PutCommand({ TableName: table, Item: { pk, sk: `k${String(i).padStart(2, '0')}`, n: i } }));
    }
  };
  const queryOf = (pk: string, pageSize: number) => ({
    TableName: table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
    Limit: pageSize,
  });

  it('reads every item of a Query, page after page, in key order', async () => {
    const pk = freshTenant();
    await seed(pk, 7);
    const before = calls.get('QueryCommand') ?? 0;
    const items = await collect(queryItems(storage.doc, 'test.query', queryOf(pk, 2)));
    expect(items.map((item) => item.n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // Pages of 2, 2, 2 and 1: the last page has no start key after it.
    expect((calls.get('QueryCommand') ?? 0) - before).toBe(4);
  });

  it('reads no further page once the caller stops', async () => {
    const pk = freshTenant();
    await seed(pk, 6);
    const before = calls.get('QueryCommand') ?? 0;
    const seen: unknown[] = [];
    for await (const item of queryItems(storage.doc, 'test.query', queryOf(pk, 2))) {
      seen.push(item.n);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([0, 1, 2]);
    expect((calls.get('QueryCommand') ?? 0) - before).toBe(2);
  });

  it('leaves the input it was given as it was', async () => {
    const pk = freshTenant();
    await seed(pk, 3);
    const input = queryOf(pk, 2);
    const copy = structuredClone(input);
    await collect(queryItems(storage.doc, 'test.query', input));
    expect(input).toEqual(copy);
  });

  it('reads every item of a Scan across pages', async () => {
    const pk = freshTenant();
    await seed(pk, 5);
    const items = await collect(
      scanItems(storage.doc, 'test.scan', {
        TableName: table,
        FilterExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        Limit: 3,
      }),
    );
    expect(items.map((item) => item.n).sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('a paged read whose storage stops', () => {
  it('fails the page it cannot read with storage_unavailable, after the pages already read', async () => {
    const storage = await startStorage();
    let stopped = false;
    try {
      const pk = freshTenant();
      const table = `${storage.prefix}facts`;
      for (let i = 0; i < 4; i++) await storage.doc.send(new PutCommand({ TableName: table, Item: { pk, sk: `k${i}`, n: i } }));
      const seen: unknown[] = [];
      const error = await (async () => {
        const items = queryItems(storage.doc, 'test.query', { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, Limit: 2 });
        for await (const item of items) {
          seen.push(item.n);
          if (seen.length === 2) {
            await storage.close();
            stopped = true;
          }
        }
      })().catch((e: unknown) => e);
      expect(seen).toEqual([0, 1]);
      expect(isAppError(error) && error.code).toBe('storage_unavailable');
    } finally {
      if (!stopped) await storage.close();
    }
  });
});
