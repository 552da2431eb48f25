import { isRecord, requestJson, type HttpDeps } from './http.js';

export interface StoredMessage {
  role: 'user' | 'assistant';
  text: string;
}

function readMessages(value: unknown): StoredMessage[] | null {
  if (!isRecord(value) || !Array.isArray(value.messages)) return null;
  const messages: StoredMessage[] = [];
  for (const item of value.messages) {
    if (!isRecord(item) || typeof item.text !== 'string') continue;
    if (item.role !== 'user' && item.role !== 'assistant') continue;
    messages.push({ role: item.role, text: item.text });
  }
  return messages;
}

/** `GET /v1/state`: the stored transcript of the session. */
export function fetchTranscript(deps: HttpDeps, manageToken: string): Promise<StoredMessage[]> {
  return requestJson(deps, '/v1/state', { method: 'GET', token: manageToken }, readMessages);
}

/** `POST /v1/state/clear`: deletes the session's conversation on the server. */
export async function clearConversation(deps: HttpDeps, manageToken: string): Promise<void> {
  await requestJson(deps, '/v1/state/clear', { method: 'POST', token: manageToken }, (value) =>
    isRecord(value) ? value : null,
  );
}
