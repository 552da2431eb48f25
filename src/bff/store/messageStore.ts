import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES, expiresAt, physicalName, sessionKey } from './tables.js';
import { withStorageErrors } from './storageError.js';

export type MessageRole = 'user' | 'assistant';
export type MessageStatus = 'complete' | 'stopped' | 'failed' | 'interrupted';

export interface StoredMessage {
  messageId: string;
  role: MessageRole;
  text: string;
  /** Epoch ms when the message was written. */
  at: number;
  status?: MessageStatus | undefined;
}

const MESSAGE_ATTRIBUTE_NAMES = { '#id': 'messageId', '#role': 'role', '#text': 'text', '#at': 'at', '#status': 'status' };
const MESSAGE_ATTRIBUTES = Object.keys(MESSAGE_ATTRIBUTE_NAMES).join(', ');

/**
 * Recent messages of a session (24 h retention). The sort key is the turn's start time, then the
 * client message id, then the role, so a user message and its reply stay adjacent and ordered.
 */
export class MessageStore {
  private readonly table: string;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
    private readonly clock: () => number,
  ) {
    this.table = physicalName(prefix, TABLES.messages);
  }

  async put(tenantId: string, sessionId: string, turnStartedAt: number, message: StoredMessage): Promise<void> {
    const sk = `${String(turnStartedAt).padStart(15, '0')}#${message.messageId}#${message.role === 'user' ? '0' : '1'}`;
    await withStorageErrors('messages.put', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: sessionKey(tenantId, sessionId),
            sk,
            ...message,
            expiresAt: expiresAt(this.clock(), TABLES.messages),
          },
        }),
      ),
    );
  }

  /** Oldest first; at most `limit` of the newest when a limit is given. */
  async list(tenantId: string, sessionId: string, limit?: number): Promise<StoredMessage[]> {
    const now = this.clock();
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await withStorageErrors('messages.list', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk',
            FilterExpression: 'expiresAt > :now',
            // Only what a message is made of: the session's keys and the expiry, which every item
            // also holds, would otherwise be read and decoded for each of them.
            ProjectionExpression: MESSAGE_ATTRIBUTES,
            ExpressionAttributeNames: MESSAGE_ATTRIBUTE_NAMES,
            ExpressionAttributeValues: { ':pk': sessionKey(tenantId, sessionId), ':now': Math.floor(now / 1000) },
            ScanIndexForward: limit === undefined,
            ...(limit === undefined ? {} : { Limit: limit }),
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      startKey = limit === undefined || items.length < limit ? page.LastEvaluatedKey : undefined;
    } while (startKey);
    const messages = items.map(
      (item): StoredMessage => ({
        messageId: String(item.messageId),
        role: item.role === 'assistant' ? 'assistant' : 'user',
        text: String(item.text),
        at: Number(item.at),
        status: item.status as MessageStatus | undefined,
      }),
    );
    return limit === undefined ? messages : messages.slice(0, limit).reverse();
  }
}
