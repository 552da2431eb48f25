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
    name: 'turn-log',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    ttlSeconds: DAY,
    description:
      'Event log of each reply, under its session (sk = messageId#seq, seq 0 is the turn header), replayed on resume; and the liveness record of each BFF process per tenant.',
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

/** Identifies one turn across sessions and tenants (the chat service's map of live turns). */
export function turnKey(tenantId: string, sessionId: string, messageId: string): string {
  return `${tenantId}#${sessionId}#${messageId}`;
}

/** A turn's header is its event at seq 0. */
export const TURN_HEADER_SEQ = 0;

/** Digits of a turn event's seq in its sort key, so that string order is seq order. */
const SEQ_DIGITS = 10;
const LAST_SEQ = 10 ** SEQ_DIGITS - 1;

/**
 * Sort key of a turn's event (seq 0 is its header) in the turn log. A session's turns share its
 * partition, so one Query finds all of them; message ids are UUIDs, so no id is a prefix of
 * another's key.
 */
export function turnEventSortKey(messageId: string, seq: number): string {
  return `${messageId}#${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

/** The sort keys of a turn's events after `afterSeq`, as bounds for BETWEEN. */
export function turnEventsAfter(messageId: string, afterSeq: number): [string, string] {
  return [turnEventSortKey(messageId, afterSeq + 1), turnEventSortKey(messageId, LAST_SEQ)];
}

/** The seq a turn log sort key holds. */
export function seqOfSortKey(sk: string): number {
  return Number(sk.slice(sk.lastIndexOf('#') + 1));
}

/** The message id a turn log sort key holds. */
export function messageIdOfSortKey(sk: string): string {
  return sk.slice(0, sk.lastIndexOf('#'));
}

/** Whether an item read by key is past its expiry: storage may not have removed it yet. */
export function isExpired(item: Record<string, unknown>, nowMs: number): boolean {
  return typeof item.expiresAt === 'number' && item.expiresAt * 1000 <= nowMs;
}

export function expiresAt(nowMs: number, table: TableDefinition): number | undefined {
  return table.ttlSeconds === undefined ? undefined : Math.floor(nowMs / 1000) + table.ttlSeconds;
}
