import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FactStore } from '../../../../src/bff/store/factStore.js';
import { MessageStore } from '../../../../src/bff/store/messageStore.js';
import { SummaryStore } from '../../../../src/bff/store/summaryStore.js';
import { TurnLog } from '../../../../src/bff/store/turnLog.js';

export interface SeedOptions {
  turns: number;
  /** Delta events per reply. */
  deltas?: number;
  clock: () => number;
}

/**
 * A session as the chat path leaves it, written through the real stores: per turn a user message,
 * a reply, a turn header and its events; plus a summary and facts.
 */
export async function seedSession(doc: DynamoDBDocumentClient, prefix: string, tenantId: string, sessionId: string, options: SeedOptions) {
  const messages = new MessageStore(doc, prefix, options.clock);
  const turnLog = new TurnLog(doc, prefix, options.clock);
  const deltas = options.deltas ?? 3;
  const messageIds: string[] = [];
  for (let i = 0; i < options.turns; i++) {
    const messageId = `msg-${String(i).padStart(4, '0')}`;
    messageIds.push(messageId);
    const ref = { tenantId, sessionId, messageId };
    const startedAt = options.clock() + i;
    await turnLog.claim(ref, { textHash: 'h', owner: 'seed', leaseUntil: startedAt + 10_000, startedAt });
    await messages.put(tenantId, sessionId, startedAt, { messageId, role: 'user', text: `question ${i}`, at: startedAt });
    const events = Array.from({ length: deltas }, (_, d) => ({ seq: d + 1, type: 'delta' as const, data: { text: `part ${d} ` } }));
    await turnLog.append(ref, [...events, { seq: deltas + 1, type: 'done', data: { messageId, stopReason: 'end_turn' } }]);
    await messages.put(tenantId, sessionId, startedAt, { messageId, role: 'assistant', text: `answer ${i}`, at: startedAt + 1, status: 'complete' });
    await turnLog.finish(ref, 'complete');
  }
  await new SummaryStore(doc, prefix, options.clock).put(tenantId, sessionId, {
    text: 'a summary',
    updatedAt: options.clock(),
    sourceMessageId: messageIds.at(-1) ?? 'none',
    turns: options.turns,
  }, undefined);
  await new FactStore(doc, prefix, options.clock).append(tenantId, sessionId, [
    { kind: 'topic', value: 'billing', sourceMessageId: messageIds[0] ?? 'none', at: options.clock() },
    { kind: 'preferred_contact_channel', value: 'email', sourceMessageId: messageIds[0] ?? 'none', at: options.clock() },
  ]);
  // Two messages, the turn header and one run holding the turn's events.
  return { messageIds, itemsPerTurn: 2 + 1 + 1 };
}
