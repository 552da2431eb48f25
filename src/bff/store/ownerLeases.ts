import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES, expiresAt, physicalName } from './tables.js';
import { withStorageErrors } from './storageError.js';

/** A stop request for a turn, as held in its owner's record: `sessionId#messageId`. */
export type StopKey = string;

export const stopKey = (sessionId: string, messageId: string): StopKey => `${sessionId}#${messageId}`;

// Beside the sessions' turns in the turn log, under the tenant like every key.
const RECORD_SK = 'owner';

/**
 * Liveness of the processes that run generations, one record per tenant and process, and the
 * stop requests other processes leave there. A process renews its record while it runs turns
 * of that tenant: one write per tenant every few seconds however many replies stream, where a
 * lease per turn would cost a write per reply. A turn whose owner's record has lapsed is dead.
 */
export class OwnerLeases {
  private readonly table: string;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
    private readonly clock: () => number,
  ) {
    this.table = physicalName(prefix, TABLES.turnEvents);
  }

  private key(tenantId: string, owner: string) {
    return { pk: `${tenantId}#owner#${owner}`, sk: RECORD_SK };
  }

  /**
   * Extends the owner's lease for the tenant and drops the stop requests it has acted on;
   * resolves to the stop requests waiting for it.
   */
  async renew(tenantId: string, owner: string, leaseUntil: number, handled: readonly StopKey[]): Promise<StopKey[]> {
    const drop = handled.length > 0;
    const result = await withStorageErrors('owner.renew', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.key(tenantId, owner),
          UpdateExpression: `SET leaseUntil = :until, expiresAt = :expires${drop ? ' DELETE stops :handled' : ''}`,
          ExpressionAttributeValues: {
            ':until': leaseUntil,
            ':expires': expiresAt(this.clock(), TABLES.turnEvents),
            ...(drop ? { ':handled': new Set(handled) } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    const stops = result.Attributes?.stops;
    return stops instanceof Set ? [...stops].map(String) : [];
  }

  /** Until when (epoch ms) the owner counts as running turns of the tenant; 0 if it never did. */
  async leaseUntil(tenantId: string, owner: string): Promise<number> {
    const result = await withStorageErrors('owner.read', () =>
      this.doc.send(
        new GetCommand({ TableName: this.table, Key: this.key(tenantId, owner), ProjectionExpression: 'leaseUntil', ConsistentRead: true }),
      ),
    );
    return Number(result.Item?.leaseUntil ?? 0);
  }

  /** Leaves a stop request for the owner, which acts on it at its next renewal. */
  async requestStop(tenantId: string, owner: string, stop: StopKey): Promise<void> {
    await withStorageErrors('owner.stop', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.key(tenantId, owner),
          // A record that lapsed keeps its lease at 0: the request alone does not make it live.
          UpdateExpression: 'ADD stops :stop SET expiresAt = if_not_exists(expiresAt, :expires), leaseUntil = if_not_exists(leaseUntil, :zero)',
          ExpressionAttributeValues: { ':stop': new Set([stop]), ':expires': expiresAt(this.clock(), TABLES.turnEvents), ':zero': 0 },
        }),
      ),
    );
  }
}
