import { DescribeTimeToLiveCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ALL_TABLES, physicalName, type TableDefinition } from './tables.js';

export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * Turns on DynamoDB TTL deletion on `expiresAt` for every table with a retention. Only for AWS:
 * the embedded server has no UpdateTimeToLive (its retention sweep does the deleting). Safe to
 * run on every start: a table already enabled, or being enabled, is left alone.
 */
export async function enableTtl(client: Pick<DynamoDBClient, 'send'>, prefix: string, tables: readonly TableDefinition[] = ALL_TABLES): Promise<string[]> {
  const changed: string[] = [];
  for (const table of tables.filter((t) => t.ttlSeconds !== undefined)) {
    const name = physicalName(prefix, table);
    const current = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    const status = current.TimeToLiveDescription?.TimeToLiveStatus;
    if ((status === 'ENABLED' || status === 'ENABLING') && current.TimeToLiveDescription?.AttributeName === TTL_ATTRIBUTE) continue;
    try {
      await client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }));
      changed.push(name);
    } catch (error) {
      // Another process may have enabled it between the describe and the update.
      if (error instanceof Error && error.name === 'ValidationException' && /already enabled/i.test(error.message)) continue;
      throw error;
    }
  }
  return changed;
}
