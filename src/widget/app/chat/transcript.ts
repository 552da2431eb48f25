import type { Turn } from '../../../machines/connectionTypes.js';
import type { MessageStatus } from '../bridge/protocol.js';
import type { StoredMessage } from '../../transport/stateApi.js';

export interface ChatMessage {
  /** Stable key for rendering: `u:`/`a:` + messageId for live turns, `r:` + index for restored ones. */
  key: string;
  role: 'user' | 'assistant';
  text: string;
  status: MessageStatus;
  /** A user message not yet accepted by the server (typed offline, or waiting its turn). */
  pending: boolean;
  messageId: string | null;
  /** When the message was written (epoch ms), if known. */
  at?: number;
}

/*
 * Operations on the transcript. They mutate the list they are given, which is
 * what Solid's `produce` hands over, and keep each update to the one message it
 * touches so a streaming reply re-renders only its own text.
 */

const userKey = (messageId: string) => `u:${messageId}`;
const assistantKey = (messageId: string) => `a:${messageId}`;

function userMessage(turn: Turn, pending: boolean): ChatMessage {
  return { key: userKey(turn.messageId), role: 'user', text: turn.text, status: 'complete', pending, messageId: turn.messageId };
}

function findAssistant(list: ChatMessage[], messageId: string): ChatMessage | undefined {
  return list.find((message) => message.key === assistantKey(messageId));
}

/** Ensures the reply placeholder right after its user message. */
function ensureAssistant(list: ChatMessage[], messageId: string): ChatMessage {
  const existing = findAssistant(list, messageId);
  if (existing) return existing;
  const reply: ChatMessage = {
    key: assistantKey(messageId),
    role: 'assistant',
    text: '',
    status: 'streaming',
    pending: false,
    messageId,
  };
  const userIndex = list.findIndex((message) => message.key === userKey(messageId));
  list.splice(userIndex === -1 ? list.length : userIndex + 1, 0, reply);
  return list[userIndex === -1 ? list.length - 1 : userIndex + 1] ?? reply;
}

/**
 * Builds the transcript after a reload from the server's copy and the turns that
 * were unfinished. If the first of them had reached the server, the server holds
 * its user message and maybe a partial reply: the user message stays, the partial
 * reply goes, because the resumed stream replays the reply from its start and
 * keeping it would show the text twice.
 */
export function restoreTranscript(
  stored: readonly StoredMessage[],
  pending: readonly Turn[],
  headReachedServer: boolean,
): ChatMessage[] {
  const list: ChatMessage[] = stored.map((message, index) => ({
    key: `r:${index}`,
    role: message.role,
    text: message.text,
    status: 'complete',
    pending: false,
    messageId: null,
    ...(message.at === undefined ? {} : { at: message.at }),
  }));
  pending.forEach((turn, position) => {
    if (position === 0 && headReachedServer) {
      const last = list.length - 1;
      const lastUser = list[last]?.role === 'user' ? last : last - 1;
      if (lastUser >= 0 && list[lastUser]?.role === 'user' && list[lastUser]?.text === turn.text) {
        list.splice(lastUser, list.length - lastUser, userMessage(turn, false));
        return;
      }
    }
    list.push(userMessage(turn, position !== 0 || !headReachedServer));
  });
  return list;
}

export function addUserTurn(list: ChatMessage[], turn: Turn): void {
  if (list.some((message) => message.key === userKey(turn.messageId))) return;
  list.push(userMessage(turn, true));
}

/** The server accepted the turn: its user message is sent and its reply is (again) streaming. */
export function openTurn(list: ChatMessage[], messageId: string): void {
  const user = list.find((message) => message.key === userKey(messageId));
  if (user) user.pending = false;
  ensureAssistant(list, messageId).status = 'streaming';
}

export function appendDelta(list: ChatMessage[], messageId: string, text: string): void {
  const reply = ensureAssistant(list, messageId);
  reply.text += text;
  reply.status = 'streaming';
}

/** A reply the user stopped is shown as interrupted; any other end of turn is complete. */
export function completeTurn(list: ChatMessage[], messageId: string, stopReason: string): ChatMessage {
  const reply = ensureAssistant(list, messageId);
  reply.status = stopReason === 'stopped' ? 'interrupted' : 'complete';
  return reply;
}

export function failTurn(list: ChatMessage[], messageId: string): void {
  const user = list.find((message) => message.key === userKey(messageId));
  if (user) user.pending = false;
  ensureAssistant(list, messageId).status = 'error';
}

export function interruptTurn(list: ChatMessage[], messageId: string): void {
  const reply = findAssistant(list, messageId);
  if (reply && reply.status === 'streaming') reply.status = 'interrupted';
}

/** A replaced session has no history: only messages still waiting to be sent remain. */
export function keepPendingOnly(list: ChatMessage[]): void {
  const kept = list.filter((message) => message.pending);
  list.splice(0, list.length, ...kept);
}

/** Gives every message that has no time yet the given one (new messages, as they appear). */
export function stampNew(list: ChatMessage[], now: number): void {
  for (const message of list) if (message.at === undefined) message.at = now;
}
