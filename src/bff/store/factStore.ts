import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FACT_KINDS, type Fact, type FactKind } from '../memory/fact.js';
import { TABLES, expiresAt, physicalName, sessionKey } from './tables.js';
import { queryItems } from './pagedReads.js';
import { withStorageErrors } from './storageError.js';

/**
 * The append-only facts ledger of a session (7-day retention). A fact's key is its source message,
 * kind and value, and it is written only if absent, so a retried turn adds nothing twice and no
 * entry is ever rewritten.
 */
export class FactStore {
  private readonly table: string;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
    private readonly clock: () => number,
  ) {
    this.table = physicalName(prefix, TABLES.facts);
  }

  /** Returns how many of the facts were new. */
  async append(tenantId: string, sessionId: string, facts: readonly Fact[]): Promise<number> {
    const pk = sessionKey(tenantId, sessionId);
    const expires = expiresAt(this.clock(), TABLES.facts);
    const written = await Promise.all(
      facts.map(async (fact) => {
        try {
          await withStorageErrors('facts.append', () =>
            this.doc.send(
              new PutCommand({
                TableName: this.table,
                Item: { pk, sk: `${fact.sourceMessageId}#${fact.kind}#${fact.value}`, ...fact, expiresAt: expires },
                ConditionExpression: 'attribute_not_exists(pk)',
              }),
            ),
          );
          return true;
        } catch (error) {
          if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
          throw error;
        }
      }),
    );
    return written.filter(Boolean).length;
  }

  /** The unexpired ledger, oldest first. */
  async list(tenantId: string, sessionId: string): Promise<Fact[]> {
    const facts: Fact[] = [];
    const stored = queryItems(this.doc, 'facts.list', {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'expiresAt > :now',
      ExpressionAttributeValues: { ':pk': sessionKey(tenantId, sessionId), ':now': Math.floor(this.clock() / 1000) },
    });
    for await (const item of stored) {
      if (!FACT_KINDS.includes(item.kind as FactKind)) continue;
      facts.push({ kind: item.kind as FactKind, value: String(item.value), sourceMessageId: String(item.sourceMessageId), at: Number(item.at) });
    }
    return facts.sort((a, b) => a.at - b.at || a.kind.localeCompare(b.kind) || a.value.localeCompare(b.value));
  }
}
