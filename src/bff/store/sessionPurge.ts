import { BatchGetCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchDelete, type KeyInTable } from './batchDelete.js';
import { MESSAGE_PRESENCE_ATTRIBUTES, rolesHeld } from './messageStore.js';
import { OwnerLeases } from './ownerLeases.js';
import { withStorageErrors } from './storageError.js';
import { TABLES, physicalName, sessionKey, turnKey } from './tables.js';

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

/**
 * How many of each kind: a key found again by a later look counts only what it holds that was not
 * counted before (a reply stored after its turn's item was first deleted is one more message).
 */
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

export interface SessionItems {
  keys: PurgeKey[];
  messageIds: string[];
}

export interface TurnItems {
  keys: PurgeKey[];
  /** Turns whose header says a generation is running and whose owner's lease is still live. */
  generating: string[];
}

/** Everything stored for one session, by key, as found at one moment. */
export interface SessionFootprint {
  keys: PurgeKey[];
  counts: PurgeCounts;
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
 * are still stored until DynamoDB (or the local sweep) removes them. Turn-event logs are keyed by
 * message, not session, so they are found through the messageIds of the session's messages.
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

  async function queryAll(table: string, pk: string, projection: string[]): Promise<Record<string, unknown>[]> {
    const names = Object.fromEntries(projection.map((attribute) => [`#${attribute}`, attribute]));
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await withStorageErrors('purge.query', () =>
        deps.doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { ...names, '#pk': 'pk' },
            ExpressionAttributeValues: { ':pk': pk },
            ProjectionExpression: Object.keys(names).join(', '),
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async function mapLimited<T, R>(inputs: readonly T[], fn: (input: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array<R>(inputs.length);
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        const index = next++;
        results[index] = await fn(inputs[index]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
    return results;
  }

  async function turnHeaders(pks: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    const found = new Map<string, Record<string, unknown>>();
    const chunks = Array.from({ length: Math.ceil(pks.length / 100) }, (_, i) => pks.slice(i * 100, i * 100 + 100));
    await mapLimited(chunks, async (chunk) => {
      let keys: Record<string, unknown>[] = chunk.map((pk) => ({ pk, seq: 0 }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 5) throw new Error('turn headers stayed unprocessed after retries');
        const result = await withStorageErrors('purge.headers', () =>
          deps.doc.send(
            new BatchGetCommand({
              RequestItems: {
                [tables.turnEvents]: {
                  Keys: keys,
                  ProjectionExpression: 'pk, seq, #status, leaseUntil, #owner, runsDeleted',
                  ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
                  ConsistentRead: true,
                },
              },
            }),
          ),
        );
        for (const item of result.Responses?.[tables.turnEvents] ?? []) found.set(String(item.pk), item);
        keys = (result.UnprocessedKeys?.[tables.turnEvents]?.Keys ?? []) as Record<string, unknown>[];
        if (keys.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      }
    });
    return found;
  }

  /** The session's own items: its messages, summary and facts; and the ids of its turns. */
  async function sessionItems(tenantId: string, sessionId: string): Promise<SessionItems> {
    const pk = sessionKey(tenantId, sessionId);
    const [messages, facts, summary] = await Promise.all([
      queryAll(tables.messages, pk, ['pk', 'sk', 'messageId', ...MESSAGE_PRESENCE_ATTRIBUTES]),
      queryAll(tables.facts, pk, ['pk', 'sk']),
      withStorageErrors('purge.summary', () =>
        deps.doc.send(new GetCommand({ TableName: tables.summaries, Key: { pk }, ProjectionExpression: 'pk', ConsistentRead: true })),
      ),
    ]);
    return {
      keys: [
        ...messages.map((item): PurgeKey => ({ kind: 'messages', table: tables.messages, key: { pk: item.pk, sk: item.sk }, units: rolesHeld(item) })),
        ...(summary.Item ? [{ kind: 'summaries' as const, table: tables.summaries, key: { pk } }] : []),
        ...facts.map((item): PurgeKey => ({ kind: 'facts', table: tables.facts, key: { pk: item.pk, sk: item.sk } })),
      ],
      messageIds: [...new Set(messages.map((item) => String(item.messageId)))],
    };
  }

  /** The event logs of the given turns, and which of them a live process is still generating. */
  async function turnItems(tenantId: string, sessionId: string, messageIds: readonly string[]): Promise<TurnItems> {
    const headers = await turnHeaders(messageIds.map((messageId) => turnKey(tenantId, sessionId, messageId)));
    // A compacted turn whose runs are known to be deleted is its header alone; any other turn
    // (running, not compacted, or its run deletion not confirmed) has its items listed.
    const turns = await mapLimited(messageIds, async (messageId) => {
      const header = headers.get(turnKey(tenantId, sessionId, messageId));
      if (!header) return [];
      if (header.runsDeleted === true) return [header];
      return queryAll(tables.turnEvents, turnKey(tenantId, sessionId, messageId), ['pk', 'seq', 'status', 'leaseUntil', 'owner']);
    });
    const running = await Promise.all(
      turns.map((items) => {
        const header = items.find((item) => item.seq === 0);
        return header ? isRunning(tenantId, header) : false;
      }),
    );
    return {
      keys: turns.flat().map((item): PurgeKey => ({ kind: 'turnEvents', table: tables.turnEvents, key: { pk: item.pk, seq: item.seq } })),
      generating: messageIds.filter((_, index) => running[index]),
    };
  }

  async function footprint(tenantId: string, sessionId: string): Promise<SessionFootprint> {
    const own = await sessionItems(tenantId, sessionId);
    const turns = await turnItems(tenantId, sessionId, own.messageIds);
    const keys = [...own.keys, ...turns.keys];
    return { keys, generating: turns.generating, counts: countKeys(keys) };
  }

  return {
    footprint,
    sessionItems,
    turnItems,

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
            Key: { pk: turnKey(tenantId, sessionId, messageId), seq: 0 },
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
