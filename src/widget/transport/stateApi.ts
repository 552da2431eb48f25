import type { Turn } from '../../machines/connectionTypes.js';
import { isRecord, requestJson, type HttpDeps } from './http.js';

export interface StoredMessage {
  role: 'user' | 'assistant';
  text: string;
  /** Epoch ms, when the server sent a parseable time. */
  at?: number;
}

export interface Conversation {
  messages: StoredMessage[];
  /**
   * The last user message when its reply is not stored yet: the server is still generating it (or
   * was, when the page went away). Its id and text resume the reply where no local copy of the
   * turn survived the reload (an iframe without storage of its own).
   */
  unfinished: Turn | null;
}

function readConversation(value: unknown): Conversation | null {
  if (!isRecord(value) || !Array.isArray(value.messages)) return null;
  const messages: StoredMessage[] = [];
  let last: { role: string; messageId: unknown; text: string } | undefined;
  const replied = new Set<unknown>();
  for (const item of value.messages) {
    if (!isRecord(item) || typeof item.text !== 'string') continue;
    if (item.role !== 'user' && item.role !== 'assistant') continue;
    const at = typeof item.at === 'string' || typeof item.at === 'number' ? new Date(item.at).getTime() : NaN;
    messages.push(Number.isFinite(at) ? { role: item.role, text: item.text, at } : { role: item.role, text: item.text });
    if (item.role === 'assistant') replied.add(item.messageId);
    last = { role: item.role, messageId: item.messageId, text: item.text };
  }
  const unfinished =
    last?.role === 'user' && typeof last.messageId === 'string' && last.messageId !== '' && !replied.has(last.messageId)
      ? { messageId: last.messageId, text: last.text }
      : null;
  return { messages, unfinished };
}

/** `GET /v1/state`: the stored transcript, and the turn whose reply is still to come, if any. */
export function fetchConversation(deps: HttpDeps, manageToken: string): Promise<Conversation> {
  return requestJson(deps, '/v1/state', { method: 'GET', token: manageToken }, readConversation);
}

export interface ClearedCounts {
  messages: number;
  summaries: number;
  facts: number;
}

function readCleared(value: unknown): ClearedCounts | null {
  if (!isRecord(value) || !isRecord(value.cleared)) return null;
  const count = (name: string) => {
    const n = (value.cleared as Record<string, unknown>)[name];
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 0;
  };
  return { messages: count('messages'), summaries: count('summaries'), facts: count('facts') };
}

/** `POST /v1/state/clear`: deletes the session's conversation on the server; what was deleted. */
export function clearConversation(deps: HttpDeps, manageToken: string): Promise<ClearedCounts> {
  return requestJson(deps, '/v1/state/clear', { method: 'POST', token: manageToken }, readCleared);
}
