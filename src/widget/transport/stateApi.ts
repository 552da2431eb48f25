import { isRecord, requestJson, type HttpDeps } from './http.js';

export interface StoredMessage {
  role: 'user' | 'assistant';
  text: string;
  /** Epoch ms, when the server sent a parseable time. */
  at?: number;
}

function readMessages(value: unknown): StoredMessage[] | null {
  if (!isRecord(value) || !Array.isArray(value.messages)) return null;
  const messages: StoredMessage[] = [];
  for (const item of value.messages) {
    if (!isRecord(item) || typeof item.text !== 'string') continue;
    if (item.role !== 'user' && item.role !== 'assistant') continue;
    const at = typeof item.at === 'string' || typeof item.at === 'number' ? new Date(item.at).getTime() : NaN;
    messages.push(Number.isFinite(at) ? { role: item.role, text: item.text, at } : { role: item.role, text: item.text });
  }
  return messages;
}

/** `GET /v1/state`: the stored transcript of the session. */
export function fetchTranscript(deps: HttpDeps, manageToken: string): Promise<StoredMessage[]> {
  return requestJson(deps, '/v1/state', { method: 'GET', token: manageToken }, readMessages);
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
