import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenDynalite, type RunningDynalite } from '../../src/local/dynamodb/dynaliteServer.js';

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
