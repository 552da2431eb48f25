import type { ModelMessage } from '../model/chatModel.js';
import type { StoredMessage } from '../store/messageStore.js';

/**
 * Bedrock's Converse API wants a conversation that starts with the user and alternates roles;
 * a stored history can break both (a failed turn leaves a user message without a reply), so
 * neighbours of the same role are merged and a leading assistant message is dropped.
 */
export function buildModelMessages(history: readonly StoredMessage[], newUserText: string): ModelMessage[] {
  const messages: ModelMessage[] = [];
  for (const { role, text } of [...history, { role: 'user' as const, text: newUserText }]) {
    if (text.length === 0) continue;
    const last = messages.at(-1);
    if (last && last.role === role) last.text = `${last.text}\n\n${text}`;
    else if (messages.length > 0 || role === 'user') messages.push({ role, text });
  }
  return messages;
}
