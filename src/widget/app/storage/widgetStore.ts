import type { Turn } from '../../../machines/connectionTypes.js';
import type { PurposeToken, Session } from '../../../machines/sessionMachine.js';

export interface WidgetStore {
  /**
   * The iframe's own storage works, so a session outlives the page. When false (third-party
   * storage blocked: Chromium incognito, Playwright contexts), everything lives in memory and only
   * a session handle kept by the host page carries the session to the next page load.
   */
  persistent: boolean;
  loadSession: () => Session | null;
  saveSession: (session: Session) => void;
  clearSession: () => void;
  loadPending: () => PendingTurns;
  savePending: (pending: PendingTurns) => void;
}

/** Turns not finished yet, oldest first; `headReachedServer` says the first was accepted by the server. */
export interface PendingTurns {
  turns: Turn[];
  headReachedServer: boolean;
}

export const sessionKey = (embedKey: string) => `picasso:session:${embedKey}`;
export const pendingKey = (embedKey: string) => `picasso:pending:${embedKey}`;
const probeKey = 'picasso:probe';

function isToken(value: unknown): value is PurposeToken {
  const token = value as PurposeToken | null;
  return typeof token?.token === 'string' && typeof token.expiresAt === 'number';
}

function readSession(value: unknown): Session | null {
  const session = value as Session | null;
  if (typeof session?.sessionId !== 'string' || !isToken(session.tokens?.stream) || !isToken(session.tokens?.manage)) return null;
  return { sessionId: session.sessionId, tokens: { stream: session.tokens.stream, manage: session.tokens.manage } };
}

function readPending(value: unknown): PendingTurns {
  const pending = value as Partial<PendingTurns> | null;
  const turns = Array.isArray(pending?.turns)
    ? pending.turns.filter((turn): turn is Turn => typeof turn?.messageId === 'string' && typeof turn?.text === 'string')
    : [];
  return { turns: turns.map(({ messageId, text }) => ({ messageId, text })), headReachedServer: pending?.headReachedServer === true };
}

/**
 * The iframe's own localStorage, which Safari may block (private mode, third-party
 * storage rules) or which may throw on access or when full. Every operation falls
 * back to memory, so the widget works for the life of the page either way.
 */
export function makeWidgetStore(getStorage: () => Storage | null, embedKey: string): WidgetStore {
  const memory = new Map<string, string>();
  const storage = (): Storage | null => {
    try {
      return getStorage();
    } catch {
      return null;
    }
  };
  const read = (key: string): unknown => {
    let text: string | null | undefined;
    try {
      text = storage()?.getItem(key);
    } catch {
      text = undefined;
    }
    text ??= memory.get(key) ?? null;
    if (text === null) return null;
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  };
  const write = (key: string, value: unknown | null) => {
    const text = value === null ? null : JSON.stringify(value);
    if (text === null) memory.delete(key);
    else memory.set(key, text);
    try {
      if (text === null) storage()?.removeItem(key);
      else storage()?.setItem(key, text);
    } catch {
      // Storage refused (blocked or full): the copy in memory serves this page.
    }
  };
  let persistent = false;
  try {
    const probed = getStorage();
    if (probed) {
      probed.setItem(probeKey, '1');
      probed.removeItem(probeKey);
      persistent = true;
    }
  } catch {
    // Blocked or full: a session kept here would not outlive the page.
  }
  return {
    persistent,
    loadSession: () => readSession(read(sessionKey(embedKey))),
    saveSession: (session) => write(sessionKey(embedKey), session),
    clearSession: () => write(sessionKey(embedKey), null),
    loadPending: () => readPending(read(pendingKey(embedKey))),
    savePending: (pending) => write(pendingKey(embedKey), pending.turns.length === 0 ? null : pending),
  };
}
