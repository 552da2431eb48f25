import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from 'pino';
import type { AuditTrail } from '../audit/auditTrail.js';
import { batchDelete, type KeyInTable } from './batchDelete.js';
import { MESSAGE_PRESENCE_ATTRIBUTES, rolesHeld } from './messageStore.js';
import { scanItems } from './pagedReads.js';
import { ALL_TABLES, TABLES, physicalName, type TableDefinition } from './tables.js';

export interface RetentionSweepDeps {
  doc: DynamoDBDocumentClient;
  prefix: string;
  /** Epoch ms. */
  clock: () => number;
  intervalMs: number;
  audit: AuditTrail;
  log?: Logger;
  tables?: readonly TableDefinition[];
}

export interface SweepResult {
  /** What was deleted, by logical table name: messages in `messages` (up to two per item), items elsewhere. */
  deleted: Record<string, number>;
  /** Items of TTL tables that carry no expiresAt: they would never expire, so they are reported. */
  withoutExpiry: number;
}

const countName = (table: TableDefinition) => table.name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());

/**
 * Embedded storage has no TTL deletion, so this process does it: it scans each TTL table for
 * items whose expiresAt has passed and deletes them, then writes one audit entry with the counts.
 * Read paths filter expired items anyway, so a sweep that runs late exposes nothing.
 */
export function createRetentionSweep(deps: RetentionSweepDeps) {
  const ttlTables = (deps.tables ?? ALL_TABLES).filter((table) => table.ttlSeconds !== undefined);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<SweepResult> | undefined;

  async function expiredKeys(table: TableDefinition, nowS: number): Promise<{ keys: KeyInTable[]; units: number; withoutExpiry: number }> {
    const name = physicalName(deps.prefix, table);
    const keyNames = [table.partitionKey.name, ...(table.sortKey ? [table.sortKey.name] : [])];
    // A turn's item in `messages` holds its user message and its reply: it counts as the messages
    // it holds, as a clear counts them. An item of any other table counts as one.
    const holdsMessages = table.name === TABLES.messages.name;
    const projected = [...keyNames, ...(holdsMessages ? MESSAGE_PRESENCE_ATTRIBUTES : [])];
    const keys: KeyInTable[] = [];
    let units = 0;
    let withoutExpiry = 0;
    const expired = scanItems(deps.doc, 'sweep.scan', {
      TableName: name,
      FilterExpression: 'attribute_not_exists(#exp) OR #exp <= :now',
      ProjectionExpression: [...projected.map((_, i) => `#a${i}`), '#exp'].join(', '),
      ExpressionAttributeNames: { '#exp': 'expiresAt', ...Object.fromEntries(projected.map((attribute, i) => [`#a${i}`, attribute])) },
      ExpressionAttributeValues: { ':now': nowS },
    });
    for await (const item of expired) {
      if (typeof item.expiresAt !== 'number') {
        withoutExpiry++;
        continue;
      }
      keys.push({ table: name, key: Object.fromEntries(keyNames.map((key) => [key, item[key]])) });
      units += holdsMessages ? rolesHeld(item).length : 1;
    }
    return { keys, units, withoutExpiry };
  }

  async function sweep(): Promise<SweepResult> {
    const nowS = Math.floor(deps.clock() / 1000);
    const result: SweepResult = { deleted: {}, withoutExpiry: 0 };
    try {
      for (const table of ttlTables) {
        const found = await expiredKeys(table, nowS);
        await batchDelete(deps.doc, found.keys);
        result.deleted[countName(table)] = found.units;
        result.withoutExpiry += found.withoutExpiry;
      }
    } catch (error) {
      await deps.audit
        .record({ action: 'retention.sweep', outcome: 'failure', detail: { reason: 'storage_unavailable', counts: result.deleted } })
        .catch(() => undefined);
      throw error;
    }
    await deps.audit
      .record({ action: 'retention.sweep', outcome: 'success', detail: { counts: { ...result.deleted, withoutExpiry: result.withoutExpiry } } })
      .catch((error: unknown) => deps.log?.error({ error: error instanceof Error ? error.name : 'unknown' }, 'sweep not audited'));
    if (result.withoutExpiry > 0) deps.log?.warn({ withoutExpiry: result.withoutExpiry }, 'items without expiresAt in TTL tables');
    return result;
  }

  /** One sweep; concurrent calls share the run in progress. */
  function runOnce(): Promise<SweepResult> {
    running ??= sweep().finally(() => {
      running = undefined;
    });
    return running;
  }

  const runInBackground = () => {
    runOnce().catch((error: unknown) => deps.log?.error({ error: error instanceof Error ? error.name : 'unknown' }, 'retention sweep failed'));
  };

  return {
    runOnce,

    /** Sweeps now and then every intervalMs until stopped. */
    start(): void {
      if (timer) return;
      timer = setInterval(runInBackground, deps.intervalMs);
      timer.unref();
      runInBackground();
    },

    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}

export type RetentionSweep = ReturnType<typeof createRetentionSweep>;
