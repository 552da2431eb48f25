import { BatchGetCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchDelete, type KeyInTable } from './batchDelete.js';
import { OwnerLeases } from './ownerLeases.js';
import { withStorageErrors } from './storageError.js';
import { TABLES, physicalName, sessionKey, turnKey } from './tables.js';

export interface PurgeCounts {
  messages: number;
  summaries: number;
  facts: number;
  turnEvents: number;
}

/** Everything stored for one session, by key, as found at one moment. */
export interface SessionFootprint {
  keys: KeyInTable[];
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

  async function footprint(tenantId: string, sessionId: string): Promise<SessionFootprint> {
    const pk = sessionKey(tenantId, sessionId);
    const [messages, facts, summary] = await Promise.all([
      queryAll(tables.messages, pk, ['pk', 'sk', 'messageId']),
      queryAll(tables.facts, pk, ['pk', 'sk']),
      withStorageErrors('purge.summary', () =>
        deps.doc.send(new GetCommand({ TableName: tables.summaries, Key: { pk }, ProjectionExpression: 'pk', ConsistentRead: true })),
      ),
    ]);
    const messageIds = [...new Set(messages.map((item) => String(item.messageId)))];
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
    const generating = messageIds.filter((_, index) => running[index]);
    const turnEvents = turns.flat();
    const keys: KeyInTable[] = [
      ...messages.map((item) => ({ table: tables.messages, key: { pk: item.pk, sk: item.sk } })),
      ...(summary.Item ? [{ table: tables.summaries, key: { pk } }] : []),
      ...facts.map((item) => ({ table: tables.facts, key: { pk: item.pk, sk: item.sk } })),
      ...turnEvents.map((item) => ({ table: tables.turnEvents, key: { pk: item.pk, seq: item.seq } })),
    ];
    return {
      keys,
      generating,
      counts: { messages: messages.length, summaries: summary.Item ? 1 : 0, facts: facts.length, turnEvents: turnEvents.length },
    };
  }

  return {
    footprint,

    /** Deletes what a footprint found; rejects with storage_unavailable unless every key is gone. */
    async remove(found: SessionFootprint): Promise<PurgeCounts> {
      await batchDelete(deps.doc, found.keys, { concurrency });
      return found.counts;
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
