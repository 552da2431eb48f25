import type { StreamEvent } from '../../machines/connectionTypes.js';

/** One dispatched SSE block, as fetch-event-source hands it over. */
export interface SseMessage {
  id: string;
  event: string;
  data: string;
}

export type ParsedMessage = StreamEvent | 'heartbeat' | null;

function readJson(data: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Checks one SSE block against the chat contract. A comment-only block (the
 * server's `: ping`) dispatches as an empty message and counts as a heartbeat;
 * anything malformed or unknown yields null and is dropped.
 */
export function parseStreamMessage(message: SseMessage): ParsedMessage {
  if (message.event === '' && message.data === '') return 'heartbeat';
  const id = message.id === '' ? null : message.id;
  const data = readJson(message.data);
  if (!data) return null;
  switch (message.event) {
    case 'delta':
      return typeof data.text === 'string' ? { kind: 'delta', id, text: data.text } : null;
    case 'done':
      return typeof data.messageId === 'string'
        ? { kind: 'done', id, messageId: data.messageId, stopReason: typeof data.stopReason === 'string' ? data.stopReason : 'end_turn' }
        : null;
    case 'error':
      return typeof data.code === 'string' ? { kind: 'error', id, code: data.code, retryable: data.retryable === true } : null;
    default:
      return null;
  }
}
