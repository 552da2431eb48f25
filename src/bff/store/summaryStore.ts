import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES, expiresAt, physicalName, sessionKey } from './tables.js';
import { withStorageErrors } from './storageError.js';

export interface StoredSummary {
  /** Already passed through the PHI redactor. */
  text: string;
  /** Epoch ms. */
  updatedAt: number;
  /** The turn it was last updated from. */
  sourceMessageId: string;
  /** How many turns it covers. */
  turns: number;
}

/** One running summary per session (7-day retention). */
export class SummaryStore {
  private readonly table: string;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
    private readonly clock: () => number,
  ) {
    this.table = physicalName(prefix, TABLES.summaries);
  }

  async get(tenantId: string, sessionId: string): Promise<StoredSummary | undefined> {
    const result = await withStorageErrors('summaries.get', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: sessionKey(tenantId, sessionId) }, ConsistentRead: true })),
    );
    const item = result.Item;
    // DynamoDB deletes expired items only eventually (up to days later), so expiry is checked here.
    if (!item || typeof item.expiresAt !== 'number' || item.expiresAt * 1000 <= this.clock()) return undefined;
    return {
      text: String(item.text),
      updatedAt: Number(item.updatedAt),
      sourceMessageId: String(item.sourceMessageId),
      turns: Number(item.turns ?? 0),
    };
  }

  /**
   * Stores `next` only while the stored summary is still `replacing` (none or an expired one, when
   * undefined): an update made from a summary that another turn's update replaced meanwhile would
   * drop that turn from it. Resolves false then, with nothing written.
   */
  async put(tenantId: string, sessionId: string, next: StoredSummary, replacing: StoredSummary | undefined): Promise<boolean> {
    const condition = replacing
      ? {
          ConditionExpression: 'updatedAt = :updatedAt AND sourceMessageId = :source',
          ExpressionAttributeValues: { ':updatedAt': replacing.updatedAt, ':source': replacing.sourceMessageId },
        }
      : {
          ConditionExpression: 'attribute_not_exists(pk) OR attribute_not_exists(expiresAt) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': this.clock() / 1000 },
        };
    try {
      await withStorageErrors('summaries.put', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { pk: sessionKey(tenantId, sessionId), ...next, expiresAt: expiresAt(this.clock(), TABLES.summaries) },
            ...condition,
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
