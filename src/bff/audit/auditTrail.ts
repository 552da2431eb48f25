import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../errors.js';
import { SerialQueues } from '../serialQueues.js';
import { TABLES, physicalName } from '../store/tables.js';
import { withStorageErrors } from '../store/storageError.js';
import { linkEntry, type ChainHead, type UnhashedEntry } from './auditChain.js';
import {
  InvalidAuditEntry,
  SYSTEM_PARTITION,
  auditEventSchema,
  type AuditEvent,
  type AuditReceipt,
} from './auditEntry.js';
import { hashIp } from './ipHash.js';

export interface AuditTrailDeps {
  doc: DynamoDBDocumentClient;
  prefix: string;
  /** Epoch milliseconds. */
  clock: () => number;
  /** Per-deployment secret for ipHash (see resolveIpSalt). */
  ipSalt: string;
  /** Conditional-write conflicts tolerated per entry before giving up. */
  maxAttempts?: number;
}

interface KnownHead extends ChainHead {
  auditId?: string;
}

/**
 * The tamper-evident audit trail: one hash chain per tenant. Each entry is written at seq = head
 * + 1 with attribute_not_exists, so when two processes append at once exactly one wins each seq;
 * the loser re-reads the head and links after the winner, and the chain never forks.
 */
export class AuditTrail {
  private readonly table: string;
  private readonly heads = new Map<string, KnownHead>();
  /** Appends of one partition from this process go one at a time, so they never race each other. */
  private readonly queues = new SerialQueues();
  private readonly maxAttempts: number;

  constructor(private readonly deps: AuditTrailDeps) {
    this.table = physicalName(deps.prefix, TABLES.audit);
    this.maxAttempts = deps.maxAttempts ?? 25;
  }

  /** Appends one entry; rejects with InvalidAuditEntry or AppError storage_unavailable. */
  async record(event: AuditEvent): Promise<AuditReceipt> {
    const parsed = auditEventSchema.safeParse(event);
    if (!parsed.success) throw new InvalidAuditEntry([...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'entry'))]);
    const { ip, ...who } = parsed.data;
    const partition = who.tenantId ?? SYSTEM_PARTITION;
    const entry: UnhashedEntry = {
      pk: partition,
      v: 1,
      auditId: randomUUID(),
      at: new Date(this.deps.clock()).toISOString(),
      ...who,
      ...(ip === undefined ? {} : { ipHash: hashIp(this.deps.ipSalt, ip) }),
    };
    return this.queues.run(partition, () => this.append(partition, entry));
  }

  /**
   * Resolves once every entry this process began to record is written or has failed: entries
   * recorded in the background (a rejected token, a minted session) are not lost to a shutdown.
   */
  settled(): Promise<void> {
    return this.queues.settled();
  }

  /** The newest entry of a partition, by one descending Query of one item. */
  async head(partition: string): Promise<KnownHead | undefined> {
    const page = await withStorageErrors('audit.head', () =>
      this.deps.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ProjectionExpression: 'seq, #hash, auditId',
          ExpressionAttributeNames: { '#hash': 'hash' },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const item = page.Items?.[0];
    return item ? { seq: Number(item.seq), hash: String(item.hash), auditId: String(item.auditId) } : undefined;
  }

  private async append(partition: string, entry: UnhashedEntry): Promise<AuditReceipt> {
    let head = this.heads.get(partition) ?? (await this.head(partition));
    for (let attempt = 1; ; attempt++) {
      const item = linkEntry(head, entry);
      try {
        await withStorageErrors('audit.append', () =>
          this.deps.doc.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
        );
      } catch (error) {
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) {
          this.heads.delete(partition);
          throw error;
        }
        // The SDK may have retried a put that had in fact landed: then the slot holds our entry.
        if (await this.holds(partition, item.seq, entry.auditId)) return this.accept(partition, item);
        if (attempt >= this.maxAttempts) {
          this.heads.delete(partition);
          throw new AppError('storage_unavailable', 'The audit trail is busy; try again shortly', { retryAfterS: 1 });
        }
        head = await this.head(partition);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
        continue;
      }
      return this.accept(partition, item);
    }
  }

  private accept(partition: string, item: { seq: number; hash: string; auditId: string; at: string }): AuditReceipt {
    this.heads.set(partition, { seq: item.seq, hash: item.hash, auditId: item.auditId });
    return { auditId: item.auditId, partition, seq: item.seq, hash: item.hash, at: item.at };
  }

  private async holds(partition: string, seq: number, auditId: string): Promise<boolean> {
    const result = await withStorageErrors('audit.check', () =>
      this.deps.doc.send(
        new GetCommand({ TableName: this.table, Key: { pk: partition, seq }, ProjectionExpression: 'auditId', ConsistentRead: true }),
      ),
    );
    return result.Item?.auditId === auditId;
  }
}
