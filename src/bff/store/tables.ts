/**
 * Every DynamoDB table the product uses, defined once. Table creation (embedded mode), the
 * CloudFormation template and the retention sweep are all derived from this list.
 */
export interface TableKey {
  name: string;
  type: 'S' | 'N';
}

export interface TableDefinition {
  /** Logical name; the physical name is TABLE_PREFIX + this. */
  name: string;
  partitionKey: TableKey;
  sortKey?: TableKey;
  /** Retention in seconds, carried by each item's `expiresAt` (epoch seconds); undefined = kept. */
  ttlSeconds?: number;
  description: string;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

export const TABLES = {
  summaries: {
    name: 'summaries',
    partitionKey: { name: 'pk', type: 'S' },
    ttlSeconds: 7 * DAY,
    description: 'Conversation summary per session (PHI-redacted).',
  },
  messages: {
    name: 'messages',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    ttlSeconds: DAY,
    description: 'Recent messages of each session, user and assistant.',
  },
  facts: {
    name: 'facts',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    ttlSeconds: 7 * DAY,
    description: 'Append-only ledger of structured, redacted facts per session.',
  },
  turnEvents: {
    name: 'turn-events',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'seq', type: 'N' },
    ttlSeconds: DAY,
    description: 'Event log of each reply (seq 0 is the turn header), replayed on resume; and the liveness record of each BFF process per tenant.',
  },
  audit: {
    name: 'audit',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'seq', type: 'N' },
    description: 'Hash-chained audit trail per tenant; never expires.',
  },
} as const satisfies Record<string, TableDefinition>;

export type TableName = keyof typeof TABLES;

export const ALL_TABLES: readonly TableDefinition[] = Object.values(TABLES);

export function physicalName(prefix: string, table: TableDefinition): string {
  return `${prefix}${table.name}`;
}

/** Partition key of everything that belongs to one session; always led by the tenant id. */
export function sessionKey(tenantId: string, sessionId: string): string {
  return `${tenantId}#${sessionId}`;
}

export function turnKey(tenantId: string, sessionId: string, messageId: string): string {
  return `${tenantId}#${sessionId}#${messageId}`;
}

export function expiresAt(nowMs: number, table: TableDefinition): number | undefined {
  return table.ttlSeconds === undefined ? undefined : Math.floor(nowMs / 1000) + table.ttlSeconds;
}
