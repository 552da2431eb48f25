import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenDynalite, type RunningDynalite } from '../../src/local/dynamodb/dynaliteServer.js';
import { requestAgainAfterIdle } from '../support/idleConnection.js';

let server: RunningDynalite;
let sdk: DynamoDBClient;

beforeAll(async () => {
  server = await listenDynalite(undefined, 0);
  sdk = new DynamoDBClient({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  sdk.destroy();
  await server.close();
});

const createTable = (name: string, key: string, type: 'S' | 'N') =>
  sdk.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: key, AttributeType: type }],
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );

describe('embedded DynamoDB table descriptions', () => {
  it('get the in-memory cache when the storage thread starts', () => {
    expect(server.cachesTableDescriptions).toBe(true);
  });

  it('are forgotten when a table is deleted and created again with another key', async () => {
    await createTable('recreated', 'pk', 'S');
    await sdk.send(new PutItemCommand({ TableName: 'recreated', Item: { pk: { S: 'a' } } }));
    await sdk.send(new DeleteTableCommand({ TableName: 'recreated' }));
    await expect(sdk.send(new PutItemCommand({ TableName: 'recreated', Item: { pk: { S: 'b' } } }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });

    await createTable('recreated', 'id', 'N');
    await sdk.send(new PutItemCommand({ TableName: 'recreated', Item: { id: { N: '1' }, note: { S: 'new schema' } } }));
    const { Item } = await sdk.send(new GetItemCommand({ TableName: 'recreated', Key: { id: { N: '1' } }, ConsistentRead: true }));
    expect(Item?.note?.S).toBe('new schema');
    await expect(sdk.send(new PutItemCommand({ TableName: 'recreated', Item: { pk: { S: 'old schema' } } }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('follow an update of the table', async () => {
    await createTable('updated', 'pk', 'S');
    await sdk.send(new PutItemCommand({ TableName: 'updated', Item: { pk: { S: 'a' } } }));
    await sdk.send(
      new UpdateTableCommand({ TableName: 'updated', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 } }),
    );
    await sdk.send(new PutItemCommand({ TableName: 'updated', Item: { pk: { S: 'b' } } }));
    const { Table } = await sdk.send(new DescribeTableCommand({ TableName: 'updated' }));
    expect(Table?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 7, WriteCapacityUnits: 3 });
    expect(Table?.TableStatus).toBe('ACTIVE');
  });
});

describe('embedded DynamoDB deletes', () => {
  const getItem = async (table: string, pk: string) =>
    (await sdk.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item;

  it('get the read-free path and the one-write batch installed when the storage thread starts', () => {
    expect(server.deletesWithoutRead).toBe(true);
    expect(server.deletesBatched).toBe(true);
  });

  it('remove every key of a batch that spans two tables', async () => {
    await createTable('spanA', 'pk', 'S');
    await createTable('spanB', 'pk', 'S');
    for (const table of ['spanA', 'spanB']) for (const pk of ['x', 'y']) await sdk.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk } } }));
    const deletes = (pks: string[]) => pks.map((pk) => ({ DeleteRequest: { Key: { pk: { S: pk } } } }));
    const { UnprocessedItems } = await sdk.send(new BatchWriteItemCommand({ RequestItems: { spanA: deletes(['x', 'y']), spanB: deletes(['y']) } }));
    expect(UnprocessedItems ?? {}).toEqual({});
    expect(await getItem('spanA', 'x')).toBeUndefined();
    expect(await getItem('spanA', 'y')).toBeUndefined();
    expect(await getItem('spanB', 'x')).toBeDefined();
    expect(await getItem('spanB', 'y')).toBeUndefined();
  });

  it('reject a batch that names a key twice, deleting nothing', async () => {
    await createTable('twice', 'pk', 'S');
    await sdk.send(new PutItemCommand({ TableName: 'twice', Item: { pk: { S: 'a' } } }));
    await sdk.send(new PutItemCommand({ TableName: 'twice', Item: { pk: { S: 'b' } } }));
    const request = new BatchWriteItemCommand({
      RequestItems: { twice: ['b', 'a', 'a'].map((pk) => ({ DeleteRequest: { Key: { pk: { S: pk } } } })) },
    });
    await expect(sdk.send(request)).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/duplicates/) });
    expect(await getItem('twice', 'a')).toBeDefined();
    expect(await getItem('twice', 'b')).toBeDefined();
  });

  it('reject a key of the wrong shape as dynalite does, deleting nothing', async () => {
    await createTable('shaped', 'pk', 'S');
    await sdk.send(new PutItemCommand({ TableName: 'shaped', Item: { pk: { S: 'a' } } }));
    const request = new BatchWriteItemCommand({
      RequestItems: { shaped: [{ DeleteRequest: { Key: { pk: { S: 'a' } } } }, { DeleteRequest: { Key: { pk: { N: '1' } } } }] },
    });
    await expect(sdk.send(request)).rejects.toMatchObject({ name: 'ValidationException', message: 'The provided key element does not match the schema' });
    expect(await getItem('shaped', 'a')).toBeDefined();
  });

  it('still write a batch of puts and deletes together', async () => {
    await createTable('mixed', 'pk', 'S');
    await sdk.send(new PutItemCommand({ TableName: 'mixed', Item: { pk: { S: 'old' } } }));
    await sdk.send(
      new BatchWriteItemCommand({
        RequestItems: { mixed: [{ DeleteRequest: { Key: { pk: { S: 'old' } } } }, { PutRequest: { Item: { pk: { S: 'new' } } } }] },
      }),
    );
    expect(await getItem('mixed', 'old')).toBeUndefined();
    expect(await getItem('mixed', 'new')).toBeDefined();
  });

  it('still report the capacity a batch of deletes consumed when asked', async () => {
    await createTable('counted', 'pk', 'S');
    await sdk.send(new PutItemCommand({ TableName: 'counted', Item: { pk: { S: 'a' } } }));
    const { ConsumedCapacity } = await sdk.send(
      new BatchWriteItemCommand({ RequestItems: { counted: [{ DeleteRequest: { Key: { pk: { S: 'a' } } } }] }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(ConsumedCapacity?.[0]).toMatchObject({ TableName: 'counted' });
    expect(await getItem('counted', 'a')).toBeUndefined();
  });

  it('remove every key of a batch, present or not', async () => {
    await createTable('batched', 'pk', 'S');
    await sdk.send(new PutItemCommand({ TableName: 'batched', Item: { pk: { S: 'a' } } }));
    await sdk.send(new PutItemCommand({ TableName: 'batched', Item: { pk: { S: 'b' } } }));
    const { UnprocessedItems } = await sdk.send(
      new BatchWriteItemCommand({
        RequestItems: { batched: ['a', 'b', 'never-stored'].map((pk) => ({ DeleteRequest: { Key: { pk: { S: pk } } } })) },
      }),
    );
    expect(UnprocessedItems ?? {}).toEqual({});
    expect(await getItem('batched', 'a')).toBeUndefined();
    expect(await getItem('batched', 'b')).toBeUndefined();
  });

  it('still check a condition against the stored item', async () => {
    await createTable('conditional', 'pk', 'S');
    await sdk.send(new PutItemCommand({ TableName: 'conditional', Item: { pk: { S: 'kept' }, owner: { S: 'x' } } }));
    await expect(
      sdk.send(
        new DeleteItemCommand({
          TableName: 'conditional',
          Key: { pk: { S: 'kept' } },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': { S: 'y' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(await getItem('conditional', 'kept')).toBeDefined();
    await expect(
      sdk.send(new DeleteItemCommand({ TableName: 'conditional', Key: { pk: { S: 'absent' } }, ConditionExpression: 'attribute_exists(pk)' })),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('still return the old item and the consumed capacity when asked', async () => {
    await createTable('returning', 'pk', 'S');
    await sdk.send(new PutItemCommand({ TableName: 'returning', Item: { pk: { S: 'a' }, note: { S: 'old' } } }));
    const { Attributes } = await sdk.send(new DeleteItemCommand({ TableName: 'returning', Key: { pk: { S: 'a' } }, ReturnValues: 'ALL_OLD' }));
    expect(Attributes?.note?.S).toBe('old');
    await sdk.send(new PutItemCommand({ TableName: 'returning', Item: { pk: { S: 'b' } } }));
    const { ConsumedCapacity } = await sdk.send(new DeleteItemCommand({ TableName: 'returning', Key: { pk: { S: 'b' } }, ReturnConsumedCapacity: 'TOTAL' }));
    expect(ConsumedCapacity?.CapacityUnits).toBeGreaterThan(0);
  });

  it('still take the item out of a secondary index', async () => {
    await sdk.send(
      new CreateTableCommand({
        TableName: 'indexed',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'colour', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [{ IndexName: 'byColour', KeySchema: [{ AttributeName: 'colour', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await sdk.send(new PutItemCommand({ TableName: 'indexed', Item: { pk: { S: 'a' }, colour: { S: 'red' } } }));
    const byColour = () =>
      sdk.send(
        new QueryCommand({
          TableName: 'indexed',
          IndexName: 'byColour',
          KeyConditionExpression: 'colour = :c',
          ExpressionAttributeValues: { ':c': { S: 'red' } },
        }),
      );
    expect((await byColour()).Count).toBe(1);
    await sdk.send(new BatchWriteItemCommand({ RequestItems: { indexed: [{ DeleteRequest: { Key: { pk: { S: 'a' } } } }] } }));
    expect((await byColour()).Count).toBe(0);
  });
});

describe('embedded DynamoDB connections', () => {
  // Node's own default closes an idle keep-alive connection after 5 s.
  it('stay open while idle, so a client reusing one later is answered', async () => {
    const outcome = await requestAgainAfterIdle(Number(new URL(server.url).port), 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n', 6_000);
    expect(outcome.closedWhileIdle).toBe(false);
    expect(outcome.answers).toBe(2);
  }, 15_000);
});
