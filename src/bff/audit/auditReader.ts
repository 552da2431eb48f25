import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryItems } from '../store/pagedReads.js';
import { TABLES, physicalName } from '../store/tables.js';

export interface AuditRange {
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
}

/**
 * Every stored item of one chain in seq order, as raw attributes: verification must see exactly
 * what is stored, including attributes no writer would have put there.
 */
export async function* readAuditItems(
  doc: DynamoDBDocumentClient,
  prefix: string,
  partition: string,
  range: AuditRange = {},
): AsyncGenerator<Record<string, unknown>> {
  const filters: string[] = [];
  const values: Record<string, unknown> = { ':pk': partition };
  // `at` is always toISOString() output (fixed width, UTC), so string order is time order.
  if (range.from !== undefined) {
    filters.push('#at >= :from');
    values[':from'] = range.from;
  }
  if (range.to !== undefined) {
    filters.push('#at < :to');
    values[':to'] = range.to;
  }
  yield* queryItems(doc, 'audit.read', {
    TableName: physicalName(prefix, TABLES.audit),
    KeyConditionExpression: 'pk = :pk',
    ...(filters.length > 0 ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: { '#at': 'at' } } : {}),
    ExpressionAttributeValues: values,
    ConsistentRead: true,
  });
}
