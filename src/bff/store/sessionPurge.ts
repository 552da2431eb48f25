import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchDelete, type KeyInTable } from './batchDelete.js';
import { MESSAGE_PRESENCE_ATTRIBUTES, rolesHeld } from './messageStore.js';
import { OwnerLeases } from './ownerLeases.js';
import { collect, queryItems } from './pagedReads.js';
import { withStorageErrors } from './storageError.js';
import { TABLES, TURN_HEADER_SEQ, messageIdOfSortKey, physicalName, seqOfSortKey, sessionKey, turnEventSortKey } from './tables.js';

export interface PurgeCounts {
  messages: number;
  summaries: number;
  facts: number;
  turnEvents: number;
}

/** A key to delete, and what it counts as. */
export interface PurgeKey extends KeyInTable {
  kind: keyof PurgeCounts;
  /**
   * What the item holds, each counted as one of its kind; one thing when absent. A turn's item in
   * the messages table holds its user message, its reply, or both.
   */
  units?: readonly string[];
}

/** How many of each kind the keys hold; a key listed twice counts what it holds once. */
export function countKeys(keys: readonly PurgeKey[]): PurgeCounts {
  const seen = new Set<string>();
  const counts: PurgeCounts = { messages: 0, summaries: 0, facts: 0, turnEvents: 0 };
  for (const { kind, table, key, units } of keys) {
    const id = `${table}\u0000${String(key.pk)}\u0000${String(key.sk ?? key.seq ?? '')}`;
    for (const unit of units ?? ['item']) {
      if (seen.has(`${id}\u0000${unit}`)) continue;
      seen.add(`${id}\u0000${unit}`);
      counts[kind] += 1;
    }
  }
  return counts;
}

/** Everything stored for one session, by key, as found at one moment. */
export interface SessionFootprint {
  keys: PurgeKey[];
  /** Turns whose header says a generation is running and whose owner's lease is still live. */
  generating: string[];
}

export interface SessionPurgeDeps {
  doc: DynamoDBDocumentClient;
  prefix: string;
  /** Epoch ms. */
  clock: () => number;
  /** Concurrent requests per purge. */
  concurrency?: number;
}

/**
 * Finds and deletes every item of one session in every table. Expired items are included: they
 * are still stored until DynamoDB (or the local sweep) removes them.
 */
export function createSessionPurge(deps: SessionPurgeDeps) {
  const tables = {
    messages: physicalName(deps.prefix, TABLES.messages),
    summaries: physicalName(deps.prefix, TABLES.summaries),
    facts: physicalName(deps.prefix, TABLES.facts),
    turnEvents: physicalName(deps.prefix, TABLES.turnEvents),
  };
  const concurrency = deps.concurrency ?? 8;
  const owners = new OwnerLeases(deps.doc, deps.prefix, deps.clock);

  /** A header says generating, and its claim's lease or its owner's lease is still live. */
  async function isRunning(tenantId: string, header: Record<string, unknown>): Promise<boolean> {
    if (header.status !== 'generating') return false;
    const now = deps.clock();
    if (Number(header.leaseUntil) > now) return true;
    return (await owners.leaseUntil(tenantId, String(header.owner))) > now;
  }

  function queryAll(table: string, pk: string, projection: string[]): Promise<Record<string, unknown>[]> {
    const names = Object.fromEntries(projection.map((attribute) => [`#${attribute}`, attribute]));
    return collect(
      queryItems(deps.doc, 'purge.query', {
        TableName: table,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { ...names, '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: Object.keys(names).join(', '),
        ConsistentRead: true,
      }),
    );
  }

  /**
   * Every item of the session, found by one read per table at once: its messages, summary and
   * facts, and its turns' event logs, which share the session's partition in the turn log.
   */
  async function footprint(tenantId: string, sessionId: string): Promise<SessionFootprint> {
    const pk = sessionKey(tenantId, sessionId);
    const [messages, facts, summary, turnItems] = await Promise.all([
      queryAll(tables.messages, pk, ['pk', 'sk', ...MESSAGE_PRESENCE_ATTRIBUTES]),
      queryAll(tables.facts, pk, ['pk', 'sk']),
      withStorageErrors('purge.summary', () =>
        deps.doc.send(new GetCommand({ TableName: tables.summaries, Key: { pk }, ProjectionExpression: 'pk', ConsistentRead: true })),
      ),
      queryAll(tables.turnEvents, pk, ['pk', 'sk', 'status', 'leaseUntil', 'owner']),
    ]);
    const headers = turnItems.filter((item) => seqOfSortKey(String(item.sk)) === TURN_HEADER_SEQ);
    const running = await Promise.all(headers.map((header) => isRunning(tenantId, header)));
    const keys = [
      ...messages.map((item): PurgeKey => ({ kind: 'messages', table: tables.messages, key: { pk: item.pk, sk: item.sk }, units: rolesHeld(item) })),
      ...(summary.Item ? [{ kind: 'summaries' as const, table: tables.summaries, key: { pk } }] : []),
      ...facts.map((item): PurgeKey => ({ kind: 'facts', table: tables.facts, key: { pk: item.pk, sk: item.sk } })),
      ...turnItems.map((item): PurgeKey => ({ kind: 'turnEvents', table: tables.turnEvents, key: { pk: item.pk, sk: item.sk } })),
    ];
    return {
      keys,
      generating: headers.filter((_, index) => running[index]).map((header) => messageIdOfSortKey(String(header.sk))),
    };
  }

  return {
    footprint,

    /** Deletes the keys found; rejects with storage_unavailable unless every one is gone. */
    async remove(keys: readonly PurgeKey[]): Promise<void> {
      await batchDelete(deps.doc, keys, { concurrency });
    },

    /** Whether a turn is still being generated by a live process. */
    async isGenerating(tenantId: string, sessionId: string, messageId: string): Promise<boolean> {
      const result = await withStorageErrors('purge.turn', () =>
        deps.doc.send(
          new GetCommand({
            TableName: tables.turnEvents,
            Key: { pk: sessionKey(tenantId, sessionId), sk: turnEventSortKey(messageId, TURN_HEADER_SEQ) },
            ProjectionExpression: '#status, leaseUntil, #owner',
            ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
            ConsistentRead: true,
          }),
        ),
      );
      return result.Item ? isRunning(tenantId, result.Item) : false;
    },
  };
}

export type SessionPurge = ReturnType<typeof createSessionPurge>;
