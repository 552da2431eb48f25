import { assign, enqueueActions, fromPromise, setup } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import { fullJitterBackoff, type BackoffPolicy } from './backoff.js';
import { asFailure, type Failure } from './failure.js';

export interface PurposeToken {
  token: string;
  /** Epoch milliseconds, in the server's clock. */
  expiresAt: number;
}

export interface Session {
  sessionId: string;
  tokens: { stream: PurposeToken; manage: PurposeToken };
}

/** A session as the server just granted it; `receivedAt` is the client clock at receipt. */
export interface SessionGrant extends Session {
  receivedAt: number;
  /** The session of an earlier page, taken up again with a session handle, rather than a new one. */
  resumed?: boolean;
  /** A fresh session handle for the host page to keep, when the server sent one along. */
  handle?: PurposeToken;
}

export interface SessionTiming {
  /** Share of a token's lifetime after which it is refreshed (0..1). */
  refreshAtShare: number;
  /** Never schedule a refresh sooner than this, whatever the token says. */
  minRefreshDelayMs: number;
  backoff: BackoffPolicy;
  maxAttempts: number;
}

export const defaultSessionTiming: SessionTiming = {
  refreshAtShare: 0.8,
  minRefreshDelayMs: 1_000,
  backoff: { baseMs: 250, capMs: 8_000 },
  maxAttempts: 6,
};

export interface SessionInput {
  /** A session kept by an earlier page, if any. */
  stored: Session | null;
  timing?: Partial<SessionTiming>;
  random?: () => number;
}

export interface SessionContext {
  session: Session | null;
  /** Lifetime of the stream token as seen at receipt, which sidesteps client/server clock skew. */
  lifetimeMs: number;
  /** Increases with every grant, so a waiter can tell fresh tokens from the ones it had. */
  generation: number;
  /** The current session came back from storage rather than being minted here. */
  restored: boolean;
  pending: 'mint' | 'refresh';
  attempts: number;
  failure: Failure | null;
  timing: SessionTiming;
  random: () => number;
}

export type SessionEvent = { type: 'START' } | { type: 'REFRESH' } | { type: 'RESET' } | { type: 'RETRY' };

export type SessionEmitted =
  | { type: 'session.granted'; session: Session; restored: boolean; handle?: PurposeToken }
  | { type: 'session.replaced' };

export interface RefreshInput {
  manageToken: string;
}

function notProvided(name: string): never {
  throw new Error(`${name} must be provided with machine.provide()`);
}

const isRetryable = (failure: Failure) => failure.kind === 'network' || failure.kind === 'retryable';

function failureOf(event: SessionEvent | { type: string; error?: unknown }): Failure | null {
  return 'error' in event ? asFailure(event.error) : null;
}

export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as SessionInput,
    emitted: {} as SessionEmitted,
  },
  actors: {
    mintSession: fromPromise<SessionGrant, void>(async () => notProvided('mintSession')),
    refreshSession: fromPromise<SessionGrant, RefreshInput>(async () => notProvided('refreshSession')),
  },
  guards: {
    hasSession: ({ context }) => context.session !== null,
    isRejected: ({ event }) => {
      const failure = failureOf(event);
      return failure?.kind === 'auth' || failure?.status === 403;
    },
    canRetry: ({ context, event }) => {
      const failure = failureOf(event);
      return failure !== null && isRetryable(failure) && context.attempts < context.timing.maxAttempts;
    },
    pendingMint: ({ context }) => context.pending === 'mint',
  },
  actions: {
    /** Stores `context.session`; provided by the widget (the machine itself touches no storage). */
    persist: () => {},
    /** Forgets the stored session; provided by the widget. */
    forget: () => {},
    accept: enqueueActions(({ context, event, enqueue }) => {
      if (!('output' in event)) return;
      const { receivedAt, resumed, handle, ...session } = event.output as SessionGrant;
      // A session counts as restored until it is replaced, so later refreshes keep the flag.
      const restored = resumed === true || (context.pending === 'refresh' && (context.restored || context.generation === 0));
      enqueue.assign({
        session,
        lifetimeMs: Math.max(0, session.tokens.stream.expiresAt - receivedAt),
        generation: context.generation + 1,
        restored,
        pending: 'refresh',
        attempts: 0,
        failure: null,
      });
      enqueue('persist');
      enqueue.emit({ type: 'session.granted', session, restored, ...(handle ? { handle } : {}) });
    }),
    dropSession: enqueueActions(({ enqueue }) => {
      enqueue.assign({ session: null, restored: false, pending: 'mint' });
      enqueue('forget');
      enqueue.emit({ type: 'session.replaced' });
    }),
    recordFailure: assign(({ context, event }) => ({
      attempts: context.attempts + 1,
      failure: failureOf(event),
    })),
    resetAttempts: assign({ attempts: 0, failure: null }),
    markMint: assign({ pending: 'mint' as const }),
  },
  delays: {
    refreshDue: ({ context }) =>
      Math.max(context.timing.minRefreshDelayMs, Math.floor(context.lifetimeMs * context.timing.refreshAtShare)),
    backoff: ({ context }) => {
      const wait = context.failure?.retryAfterMs;
      return wait ?? fullJitterBackoff(context.attempts - 1, context.random, context.timing.backoff);
    },
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({
    session: input.stored,
    lifetimeMs: 0,
    generation: 0,
    restored: false,
    pending: input.stored ? 'refresh' : 'mint',
    attempts: 0,
    failure: null,
    timing: { ...defaultSessionTiming, ...input.timing },
    random: input.random ?? Math.random,
  }),
  initial: 'idle',
  states: {
    idle: {
      on: {
        START: [{ guard: 'hasSession', target: 'refreshing' }, { target: 'minting' }],
        RESET: { target: 'minting', actions: 'dropSession' },
      },
    },
    minting: {
      entry: 'markMint',
      invoke: {
        src: 'mintSession',
        onDone: { target: 'active', actions: 'accept' },
        onError: [
          { guard: 'canRetry', target: 'retrying', actions: 'recordFailure' },
          { target: 'failed', actions: 'recordFailure' },
        ],
      },
    },
    refreshing: {
      invoke: {
        src: 'refreshSession',
        input: ({ context }) => ({ manageToken: context.session?.tokens.manage.token ?? '' }),
        onDone: { target: 'active', actions: 'accept' },
        onError: [
          // The server no longer honours this session (expired, revoked): start a new one.
          { guard: 'isRejected', target: 'minting', actions: 'dropSession' },
          { guard: 'canRetry', target: 'retrying', actions: 'recordFailure' },
          { target: 'failed', actions: 'recordFailure' },
        ],
      },
    },
    active: {
      after: { refreshDue: 'refreshing' },
      on: {
        REFRESH: 'refreshing',
        RESET: { target: 'minting', actions: 'dropSession' },
      },
    },
    retrying: {
      after: {
        backoff: [{ guard: 'pendingMint', target: 'minting' }, { target: 'refreshing' }],
      },
      on: { RESET: { target: 'minting', actions: 'dropSession' } },
    },
    failed: {
      on: {
        RETRY: [
          { guard: 'pendingMint', target: 'minting', actions: 'resetAttempts' },
          { target: 'refreshing', actions: 'resetAttempts' },
        ],
        START: [
          { guard: 'pendingMint', target: 'minting', actions: 'resetAttempts' },
          { target: 'refreshing', actions: 'resetAttempts' },
        ],
        RESET: { target: 'minting', actions: ['dropSession', 'resetAttempts'] },
      },
    },
  },
});

export type SessionSnapshot = SnapshotFrom<typeof sessionMachine>;
