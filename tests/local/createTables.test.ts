import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTables } from '../../src/local/createTables.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../src/local/dynamo.js';
import { ALL_TABLES, physicalName } from '../../src/bff/store/tables.js';

let dynamo: EmbeddedDynamo;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo({ dataDir: '.unused', inMemory: true });
  client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: dynamo.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  client.destroy();
  await dynamo.close();
});

it('creates every table of ALL_TABLES on demand billing with its key schema, ACTIVE on return', async () => {
  await createTables(client, 'ct-', ALL_TABLES);
  for (const table of ALL_TABLES) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: physicalName('ct-', table) }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const expectedKeys = [
      { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
      ...(table.sortKey ? [{ AttributeName: table.sortKey.name, KeyType: 'RANGE' }] : []),
    ];
    expect(Table?.KeySchema).toEqual(expectedKeys);
  }
});

it('is idempotent: existing tables are left as they are', async () => {
  await createTables(client, 'again-', ALL_TABLES);
  await createTables(client, 'again-', ALL_TABLES);
  const { TableNames } = await client.send(new ListTablesCommand({}));
  expect(TableNames?.filter((name) => name.startsWith('again-')).sort()).toEqual(
    ALL_TABLES.map((table) => physicalName('again-', table)).sort(),
  );
});
