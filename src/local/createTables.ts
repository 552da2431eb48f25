import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { physicalName, type TableDefinition } from '../bff/store/tables.js';

export interface CreateTablesOptions {
  /** How long to wait for every table to become ACTIVE. */
  timeoutMs?: number;
}

/**
 * Creates the product's tables (on-demand billing) unless they exist, then waits until all are
 * ACTIVE. TTL is not switched on here: dynalite has no UpdateTimeToLive, and the store filters
 * expired items on read anyway.
 */
export async function createTables(
  client: DynamoDBClient,
  prefix: string,
  tables: readonly TableDefinition[],
  options: CreateTablesOptions = {},
): Promise<void> {
  await Promise.all(tables.map((table) => createTable(client, prefix, table)));
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  await Promise.all(tables.map((table) => waitUntilActive(client, physicalName(prefix, table), deadline)));
}

async function createTable(client: DynamoDBClient, prefix: string, table: TableDefinition): Promise<void> {
  const keys = table.sortKey ? [table.partitionKey, table.sortKey] : [table.partitionKey];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: physicalName(prefix, table),
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
        KeySchema: keys.map((key, index) => ({ AttributeName: key.name, KeyType: index === 0 ? 'HASH' : 'RANGE' })),
      }),
    );
  } catch (error) {
    if (errorName(error) !== 'ResourceInUseException') throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string, deadline: number): Promise<void> {
  for (let pauseMs = 20; ; pauseMs = Math.min(pauseMs * 2, 1000)) {
    if ((await tableStatus(client, tableName)) === 'ACTIVE') return;
    if (Date.now() + pauseMs > deadline) throw new Error(`Table ${tableName} did not become ACTIVE in time`);
    await sleep(pauseMs);
  }
}

async function tableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus;
  } catch (error) {
    // DynamoDB may not list a table it has just accepted (eventual consistency).
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** By name, not instanceof: the client may come from another copy of the SDK. */
function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
