import type { BackoffPolicy } from './backoff.js';
import type { Failure } from './failure.js';

/** One user message and the reply it asks for; `messageId` makes every send of it idempotent. */
export interface Turn {
  messageId: string;
  text: string;
}

/** A server-sent event of `POST /v1/chat`, already parsed and checked by the transport. */
export type StreamEvent =
  | { kind: 'delta'; id: string | null; text: string }
  | { kind: 'done'; id: string | null; messageId: string; stopReason: string }
  | { kind: 'error'; id: string | null; code: string; retryable: boolean };

export interface ConnectionTiming {
  /** The longest gap between server heartbeats. */
  heartbeatMs: number;
  /** Missed heartbeats after which a silent stream counts as stalled. */
  stallAfterHeartbeats: number;
  backoff: BackoffPolicy;
  /** Failed tries allowed in one outage before giving up. */
  maxAttempts: number;
  probe: BackoffPolicy;
  /** Longest Retry-After honoured; a longer one is cut to this. */
  maxRetryAfterMs: number;
}

export const defaultConnectionTiming: ConnectionTiming = {
  heartbeatMs: 15_000,
  stallAfterHeartbeats: 2,
  // Caps of 1 s keep the resume after a network return within the 1 s budget: a longer cap
  // leaves widgets sleeping through the first seconds of a restored network. Full jitter still
  // spreads a crowd of widgets over that second.
  backoff: { baseMs: 250, capMs: 1_000 },
  maxAttempts: 8,
  probe: { baseMs: 500, capMs: 1_000 },
  maxRetryAfterMs: 60_000,
};

export interface ConnectionInput {
  /** Turns left unfinished by an earlier page (restored from storage), oldest first. */
  pending?: Turn[];
  timing?: Partial<ConnectionTiming>;
  random?: () => number;
  online?: boolean;
  hidden?: boolean;
}

export interface ConnectionContext {
  /** Unfinished turns, oldest first; the head is the one being sent or streamed. */
  turns: Turn[];
  /** The head turn has reached the server at least once. */
  opened: boolean;
  lastEventId: string | null;
  /** Increases with every request; callbacks carrying an older id are ignored. */
  attemptId: number;
  /** Failed tries in the current outage. */
  attempts: number;
  probes: number;
  retryAfterMs: number | null;
  authorized: boolean;
  authMode: 'start' | 'refresh';
  /** A 401 has already been answered with one token refresh in this outage. */
  refreshedOnce: boolean;
  online: boolean;
  hidden: boolean;
  stopRequested: string | null;
  failure: Failure | null;
  timing: ConnectionTiming;
  random: () => number;
}

export type ConnectionEvent =
  | { type: 'START' }
  | { type: 'SEND'; turn: Turn }
  | { type: 'STOP' }
  | { type: 'RETRY' }
  | { type: 'RESET' }
  | { type: 'DISPOSE' }
  | { type: 'STREAM.OPEN'; attemptId: number }
  | { type: 'STREAM.ACTIVITY'; attemptId: number }
  | { type: 'STREAM.EVENT'; attemptId: number; event: StreamEvent }
  | { type: 'STREAM.FAILURE'; attemptId: number; failure: Failure }
  | { type: 'NETWORK.ONLINE' }
  | { type: 'NETWORK.OFFLINE' }
  | { type: 'PAGE.HIDDEN' }
  | { type: 'PAGE.VISIBLE' }
  | { type: 'PAGE.FROZEN' };

/** What the machine tells the UI about the conversation; connection status is read from snapshots. */
export type ConnectionEmitted =
  | { type: 'turn.opened'; messageId: string }
  | { type: 'turn.delta'; messageId: string; text: string }
  | { type: 'turn.done'; messageId: string; stopReason: string }
  | { type: 'turn.failed'; messageId: string; code: string }
  | { type: 'turn.interrupted'; messageId: string };

export interface AuthorizeInput {
  mode: 'start' | 'refresh';
}

export interface OpenStreamInput {
  turn: Turn;
  lastEventId: string | null;
  attemptId: number;
}

export interface StopTurnInput {
  messageId: string;
}

export type ConnectionStateName =
  | 'idle'
  | 'authorizing'
  | 'ready'
  | 'connecting'
  | 'streaming'
  | 'stalled'
  | 'reconnecting'
  | 'offline'
  | 'suspended'
  | 'failed'
  | 'closed';
