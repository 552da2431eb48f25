import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TurnEvent } from '../chat/turnEvent.js';
import { packEvents, unpackEvents } from './packedEvents.js';
import { queryItems } from './pagedReads.js';
import { TABLES, expiresAt, isExpired, physicalName, sessionKey } from './tables.js';
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

/** A reply as its turn's owner stored it, with the events its turn log may not hold yet. */
export interface StoredReply extends StoredMessage {
  role: 'assistant';
  ending: TurnEvent[];
}

/**
 * A reply's ending is left out beyond this: the item, the reply's text beside it, must stay
 * inside DynamoDB's 400 KB. A turn taken over without it ends as interrupted, its reply whole.
 */
const MAX_ENDING_BYTES = 64_000;

/** The attributes of one half of a turn's item. */
const HALF = {
  user: { text: 'userText', at: 'userAt' },
  assistant: { text: 'replyText', at: 'replyAt', status: 'replyStatus', ending: 'replyEnding' },
} as const;

/**
 * What an item's messages are read from: its two halves, or the one message of an item written
 * before turns were stored as one item.
 */
const MESSAGE_ATTRIBUTES = ['messageId', ...Object.values(HALF.user), HALF.assistant.text, HALF.assistant.at, HALF.assistant.status, 'role', 'text', 'at', 'status'];
const ITEM_ATTRIBUTE_NAMES = Object.fromEntries(MESSAGE_ATTRIBUTES.map((name) => [`#${name}`, name]));
const ITEM_ATTRIBUTES = Object.keys(ITEM_ATTRIBUTE_NAMES).join(', ');

/** The attributes that say which messages an item holds, without their text (for counting them). */
export const MESSAGE_PRESENCE_ATTRIBUTES = [HALF.user.at, HALF.assistant.at, 'role'] as const;

/** Which messages of its turn an item holds: the user's, the reply, or both. */
export function rolesHeld(item: Record<string, unknown>): MessageRole[] {
  if (item.role !== undefined) return [item.role === 'assistant' ? 'assistant' : 'user'];
  return [...(item[HALF.user.at] !== undefined ? ['user' as const] : []), ...(item[HALF.assistant.at] !== undefined ? ['assistant' as const] : [])];
}

function messagesOf(item: Record<string, unknown>): StoredMessage[] {
  if (item.role !== undefined) {
    return [
      {
        messageId: String(item.messageId),
        role: item.role === 'assistant' ? 'assistant' : 'user',
        text: String(item.text),
        at: Number(item.at),
        status: item.status as MessageStatus | undefined,
      },
    ];
  }
  const messageId = String(item.messageId);
  return rolesHeld(item).map((role): StoredMessage =>
    role === 'user'
      ? { messageId, role, text: String(item[HALF.user.text]), at: Number(item[HALF.user.at]) }
      : {
          messageId,
          role,
          text: String(item[HALF.assistant.text]),
          at: Number(item[HALF.assistant.at]),
          status: item[HALF.assistant.status] as MessageStatus | undefined,
        },
  );
}

/**
 * Recent messages of a session (24 h retention), one item per turn: the user's message and its
 * reply are two halves of the item, each written by its own update, so neither write can undo
 * the other. Two messages to an item halve the items a session's reads and its clear go through.
 * The sort key is the turn's start time, then the client message id.
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

  /**
   * Writes one message. A reply may carry `ending`, the events of its turn from the last one its
   * turn log holds through the terminal one: stored in the same write, they let another process
   * end the turn's log as the owner ended it if the owner dies before closing it (see turnFeed).
   */
  async put(tenantId: string, sessionId: string, turnStartedAt: number, message: StoredMessage, ending?: readonly TurnEvent[]): Promise<void> {
    const half = message.role === 'user' ? HALF.user : HALF.assistant;
    const status = message.role === 'assistant' ? message.status : undefined;
    const packed = message.role === 'assistant' && ending !== undefined && ending.length > 0 ? packEvents(ending) : undefined;
    const packedEnding = packed !== undefined && Buffer.byteLength(packed) <= MAX_ENDING_BYTES ? packed : undefined;
    // A reply written again replaces the one before, its status and ending included.
    const sets = [
      'messageId = :id',
      `${half.text} = :text`,
      `${half.at} = :at`,
      'expiresAt = :expires',
      ...(status === undefined ? [] : [`${HALF.assistant.status} = :status`]),
      ...(packedEnding === undefined ? [] : [`${HALF.assistant.ending} = :ending`]),
    ];
    const removes =
      message.role === 'user'
        ? []
        : [...(status === undefined ? [HALF.assistant.status] : []), ...(packedEnding === undefined ? [HALF.assistant.ending] : [])];
    await withStorageErrors('messages.put', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.key(tenantId, sessionId, turnStartedAt, message.messageId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ExpressionAttributeValues: {
            ':id': message.messageId,
            ':text': message.text,
            ':at': message.at,
            ':expires': expiresAt(this.clock(), TABLES.messages),
            ...(status === undefined ? {} : { ':status': status }),
            ...(packedEnding === undefined ? {} : { ':ending': packedEnding }),
          },
        }),
      ),
    );
  }

  /** The reply stored for a turn, if any, with the ending it was stored with. */
  async reply(tenantId: string, sessionId: string, turnStartedAt: number, messageId: string): Promise<StoredReply | undefined> {
    const { assistant } = HALF;
    const result = await withStorageErrors('messages.reply', () =>
      this.doc.send(
        new GetCommand({
          TableName: this.table,
          Key: this.key(tenantId, sessionId, turnStartedAt, messageId),
          ProjectionExpression: [assistant.text, assistant.at, assistant.status, assistant.ending, 'expiresAt'].join(', '),
          ConsistentRead: true,
        }),
      ),
    );
    const item = result.Item;
    if (!item || isExpired(item, this.clock()) || item[assistant.at] === undefined) return undefined;
    return {
      messageId,
      role: 'assistant',
      text: String(item[assistant.text]),
      at: Number(item[assistant.at]),
      status: item[assistant.status] as MessageStatus | undefined,
      ending: typeof item[assistant.ending] === 'string' ? unpackEvents(item[assistant.ending]) : [],
    };
  }

  private key(tenantId: string, sessionId: string, turnStartedAt: number, messageId: string) {
    return { pk: sessionKey(tenantId, sessionId), sk: `${String(turnStartedAt).padStart(15, '0')}#${messageId}` };
  }

  /** Oldest first; at most `limit` of the newest when a limit is given. */
  async list(tenantId: string, sessionId: string, limit?: number): Promise<StoredMessage[]> {
    const messages: StoredMessage[] = [];
    const turns = queryItems(this.doc, 'messages.list', {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'expiresAt > :now',
      // Only what a message is made of: the session's keys and the expiry, which every item
      // also holds, would otherwise be read and decoded for each of them.
      ProjectionExpression: ITEM_ATTRIBUTES,
      ExpressionAttributeNames: ITEM_ATTRIBUTE_NAMES,
      ExpressionAttributeValues: { ':pk': sessionKey(tenantId, sessionId), ':now': Math.floor(this.clock() / 1000) },
      ScanIndexForward: limit === undefined,
      // A turn's item holds up to two messages.
      ...(limit === undefined ? {} : { Limit: Math.ceil(limit / 2) + 1 }),
    });
    for await (const item of turns) {
      const held = messagesOf(item);
      // Newest first when limited: each item's messages go in reversed so the whole reverses at the end.
      messages.push(...(limit === undefined ? held : held.reverse()));
      if (limit !== undefined && messages.length >= limit) break;
    }
    return limit === undefined ? messages : messages.slice(0, limit).reverse();
  }
}
