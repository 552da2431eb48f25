import { isAfterEventId } from './eventId.js';
import { asFailure, type Failure } from './failure.js';
import type { ConnectionContext, ConnectionEvent } from './connectionTypes.js';

/** Error events of invoked actors reach guards typed as machine events; this widens for them. */
type GuardEvent = ConnectionEvent | { type: string; error?: unknown };

interface GuardArgs {
  context: ConnectionContext;
  event: ConnectionEvent;
}

/** The failure an event reports: a stream failure, or an invoked actor's rejection. */
export function failureOf(event: GuardEvent): Failure | null {
  if (event.type === 'STREAM.FAILURE' && 'failure' in event) return event.failure as Failure;
  if ('error' in event) return asFailure(event.error);
  return null;
}

function isRetryableKind(failure: Failure | null): boolean {
  return failure?.kind === 'network' || failure?.kind === 'retryable';
}

const attemptOf = (event: ConnectionEvent): number | null => ('attemptId' in event ? event.attemptId : null);

/** The connection machine's guards, by name. */
export const connectionGuards = {
  hasTurn: ({ context }: GuardArgs) => context.turns.length > 0,
  isHidden: ({ context }: GuardArgs) => context.hidden,
  isAuthorized: ({ context }: GuardArgs) => context.authorized,
  canRetry: ({ context }: GuardArgs) => context.attempts < context.timing.maxAttempts,
  isNewMessage: ({ context, event }: GuardArgs) =>
    event.type === 'SEND' && !context.turns.some((turn) => turn.messageId === event.turn.messageId),
  isCurrentAttempt: ({ context, event }: GuardArgs) => attemptOf(event) === context.attemptId,
  isNewEvent: ({ context, event }: GuardArgs) =>
    event.type === 'STREAM.EVENT' && (event.event.id === null || isAfterEventId(event.event.id, context.lastEventId)),
  isDoneEvent: ({ event }: GuardArgs) => event.type === 'STREAM.EVENT' && event.event.kind === 'done',
  isErrorEvent: ({ event }: GuardArgs) => event.type === 'STREAM.EVENT' && event.event.kind === 'error',
  canStop: ({ context }: GuardArgs) => context.turns.length > 0,
  needsTokenRefresh: ({ context, event }: GuardArgs) => failureOf(event)?.kind === 'auth' && !context.refreshedOnce,
  isFailureWhileHidden: ({ context, event }: GuardArgs) => context.hidden && isRetryableKind(failureOf(event)),
  isKnownOffline: ({ context, event }: GuardArgs) => !context.online && failureOf(event)?.kind === 'network',
  canRetryFailure: ({ context, event }: GuardArgs) =>
    isRetryableKind(failureOf(event)) && context.attempts < context.timing.maxAttempts,
  isNetworkFailure: ({ event }: GuardArgs) => failureOf(event)?.kind === 'network',
  isConnectionFailure: ({ event }: GuardArgs) => {
    const kind = failureOf(event)?.kind;
    return kind === 'network' || kind === 'retryable' || kind === 'auth';
  },
};
