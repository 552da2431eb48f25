import { assign, enqueueActions, fromCallback, fromPromise, not, raise, setup } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import { fullJitterBackoff } from './backoff.js';
import { connectionGuards, failureOf } from './connectionGuards.js';
import {
  defaultConnectionTiming,
  type AuthorizeInput,
  type ConnectionContext,
  type ConnectionEmitted,
  type ConnectionEvent,
  type ConnectionInput,
  type OpenStreamInput,
  type StopTurnInput,
} from './connectionTypes.js';

function notProvided(name: string): never {
  throw new Error(`${name} must be provided with machine.provide()`);
}

const endOfTurn = {
  turns: ({ context }: { context: ConnectionContext }) => context.turns.slice(1),
  opened: false,
  lastEventId: null,
  attempts: 0,
  refreshedOnce: false,
  stopRequested: null,
  failure: null,
} as const;

export const connectionMachine = setup({
  types: {
    context: {} as ConnectionContext,
    events: {} as ConnectionEvent,
    input: {} as ConnectionInput,
    emitted: {} as ConnectionEmitted,
  },
  actors: {
    authorize: fromPromise<void, AuthorizeInput>(async () => notProvided('authorize')),
    openStream: fromCallback<ConnectionEvent, OpenStreamInput>(() => notProvided('openStream')),
    probe: fromPromise<void, void>(async () => notProvided('probe')),
    stopTurn: fromPromise<void, StopTurnInput>(async () => notProvided('stopTurn')),
  },
  guards: connectionGuards,
  actions: {
    enqueue: assign({
      turns: ({ context, event }) => (event.type === 'SEND' ? [...context.turns, event.turn] : context.turns),
    }),
    beginAttempt: assign({ attemptId: ({ context }) => context.attemptId + 1 }),
    markOpened: enqueueActions(({ context, enqueue }) => {
      const head = context.turns[0];
      if (!head) return;
      enqueue.assign({ opened: true });
      enqueue.emit({ type: 'turn.opened', messageId: head.messageId });
      // A stop pressed while the connection was down is repeated once the server is reachable again.
      if (context.stopRequested === head.messageId) {
        enqueue.spawnChild('stopTurn', { input: { messageId: head.messageId } });
      }
    }),
    recordEventId: assign({
      lastEventId: ({ context, event }) =>
        event.type === 'STREAM.EVENT' && event.event.id !== null ? event.event.id : context.lastEventId,
    }),
    applyDelta: enqueueActions(({ context, event, enqueue }) => {
      const head = context.turns[0];
      if (event.type !== 'STREAM.EVENT' || event.event.kind !== 'delta' || !head) return;
      // Progress ends the outage: the next failure starts a fresh count.
      enqueue.assign({ attempts: 0, refreshedOnce: false, failure: null });
      enqueue.emit({ type: 'turn.delta', messageId: head.messageId, text: event.event.text });
    }),
    finishTurn: enqueueActions(({ context, event, enqueue }) => {
      const head = context.turns[0];
      if (!head) return;
      const stopReason = event.type === 'STREAM.EVENT' && event.event.kind === 'done' ? event.event.stopReason : 'end_turn';
      enqueue.emit({ type: 'turn.done', messageId: head.messageId, stopReason });
      enqueue.assign(endOfTurn);
    }),
    failTurn: enqueueActions(({ context, event, enqueue }) => {
      const head = context.turns[0];
      if (!head) return;
      enqueue.emit({ type: 'turn.failed', messageId: head.messageId, code: failureOf(event)?.code ?? 'unexpected' });
      enqueue.assign(endOfTurn);
    }),
    raiseStreamError: raise(({ context, event }) => {
      const code = event.type === 'STREAM.EVENT' && event.event.kind === 'error' ? event.event.code : 'stream_error';
      const retryable = event.type === 'STREAM.EVENT' && event.event.kind === 'error' && event.event.retryable;
      return {
        type: 'STREAM.FAILURE' as const,
        attemptId: context.attemptId,
        failure: { kind: retryable ? ('retryable' as const) : ('fatal' as const), code },
      };
    }),
    recordFailure: assign(({ context, event }) => {
      const failure = failureOf(event);
      const retryAfter = failure?.retryAfterMs;
      return {
        attempts: context.attempts + 1,
        failure,
        retryAfterMs: retryAfter === undefined ? null : Math.min(Math.max(retryAfter, 0), context.timing.maxRetryAfterMs),
      };
    }),
    recordStall: assign({
      attempts: ({ context }) => context.attempts + 1,
      failure: { kind: 'network', code: 'stalled' },
      retryAfterMs: null,
    }),
    markRefresh: assign({ authMode: 'refresh', refreshedOnce: true, authorized: false }),
    markAuthorized: assign({ authorized: true, authMode: 'start' }),
    resetAttempts: assign({ attempts: 0, refreshedOnce: false, retryAfterMs: null }),
    countProbe: assign({ probes: ({ context }) => context.probes + 1 }),
    markStop: assign({ stopRequested: ({ context }) => context.turns[0]?.messageId ?? null }),
    sendStop: enqueueActions(({ context, enqueue }) => {
      const head = context.turns[0];
      if (head) enqueue.spawnChild('stopTurn', { input: { messageId: head.messageId } });
    }),
    emitInterrupted: enqueueActions(({ context, enqueue }) => {
      const head = context.turns[0];
      if (head && context.opened) enqueue.emit({ type: 'turn.interrupted', messageId: head.messageId });
    }),
    dropTurns: assign({ turns: [], opened: false, lastEventId: null, stopRequested: null, authorized: false, authMode: 'start' }),
    setOnline: assign({ online: true }),
    setOffline: assign({ online: false }),
    setHidden: assign({ hidden: true }),
    setVisible: assign({ hidden: false }),
  },
  delays: {
    stallTimeout: ({ context }) => context.timing.heartbeatMs * context.timing.stallAfterHeartbeats,
    backoff: ({ context }) =>
      context.retryAfterMs ?? fullJitterBackoff(context.attempts - 1, context.random, context.timing.backoff),
    probeInterval: ({ context }) => {
      const { baseMs, capMs } = context.timing.probe;
      const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(context.probes - 1, 0), 20));
      // Half fixed, half jitter: probes never fire back to back, yet stay spread out.
      return Math.floor(ceiling / 2 + (context.random() * ceiling) / 2);
    },
  },
}).createMachine({
  id: 'connection',
  context: ({ input: given }) => {
    const input: ConnectionInput = given ?? {};
    return {
      turns: input.pending ?? [],
      opened: false,
      lastEventId: null,
      attemptId: 0,
      attempts: 0,
      probes: 0,
      retryAfterMs: null,
      authorized: false,
      authMode: 'start',
      refreshedOnce: false,
      online: input.online ?? true,
      hidden: input.hidden ?? false,
      stopRequested: null,
      failure: null,
      timing: { ...defaultConnectionTiming, ...input.timing },
      random: input.random ?? Math.random,
    };
  },
  initial: 'idle',
  on: {
    SEND: { guard: 'isNewMessage', actions: 'enqueue' },
    STOP: { guard: 'canStop', actions: 'markStop' },
    'NETWORK.ONLINE': { actions: 'setOnline' },
    'NETWORK.OFFLINE': { actions: 'setOffline' },
    'PAGE.HIDDEN': { actions: 'setHidden' },
    'PAGE.VISIBLE': { actions: 'setVisible' },
    RESET: { target: '.authorizing', actions: ['dropTurns', 'resetAttempts'] },
    DISPOSE: '.closed',
  },
  states: {
    idle: {
      on: { START: 'authorizing' },
    },
    authorizing: {
      invoke: {
        src: 'authorize',
        input: ({ context }) => ({ mode: context.authMode }),
        onDone: { target: 'ready', actions: 'markAuthorized' },
        onError: [
          { guard: 'isKnownOffline', target: 'offline' },
          { guard: 'isFailureWhileHidden', target: 'suspended' },
          { guard: 'canRetryFailure', target: 'reconnecting', actions: 'recordFailure' },
          { guard: 'isNetworkFailure', target: 'offline', actions: 'recordFailure' },
          { target: 'failed', actions: 'recordFailure' },
        ],
      },
    },
    ready: {
      always: [
        { guard: 'isHidden', target: 'suspended' },
        { guard: 'hasTurn', target: 'turn' },
      ],
      on: {
        SEND: { guard: 'isNewMessage', target: 'turn', actions: 'enqueue' },
        'NETWORK.OFFLINE': { target: 'offline', actions: 'setOffline' },
        'PAGE.HIDDEN': { target: 'suspended', actions: 'setHidden' },
        'PAGE.FROZEN': { target: 'suspended', actions: 'setHidden' },
      },
    },
    turn: {
      entry: 'beginAttempt',
      invoke: {
        src: 'openStream',
        input: ({ context }) => ({
          turn: context.turns[0] ?? { messageId: '', text: '' },
          lastEventId: context.lastEventId,
          attemptId: context.attemptId,
        }),
      },
      initial: 'connecting',
      on: {
        'STREAM.FAILURE': [
          { guard: not('isCurrentAttempt') },
          { guard: 'needsTokenRefresh', target: 'authorizing', actions: 'markRefresh' },
          { guard: 'isKnownOffline', target: 'offline' },
          { guard: 'isFailureWhileHidden', target: 'suspended' },
          { guard: 'canRetryFailure', target: 'reconnecting', actions: 'recordFailure' },
          { guard: 'isNetworkFailure', target: 'offline', actions: 'recordFailure' },
          { guard: 'isConnectionFailure', target: 'failed', actions: 'recordFailure' },
          { target: 'ready', actions: 'failTurn' },
        ],
        STOP: { guard: 'canStop', actions: ['markStop', 'sendStop'] },
        'NETWORK.OFFLINE': { target: 'offline', actions: 'setOffline' },
        'PAGE.FROZEN': { target: 'suspended', actions: 'setHidden' },
      },
      states: {
        connecting: {
          after: { stallTimeout: '#connection.stalled' },
          on: {
            'STREAM.OPEN': { guard: 'isCurrentAttempt', target: 'streaming', actions: 'markOpened' },
          },
        },
        streaming: {
          after: { stallTimeout: '#connection.stalled' },
          on: {
            'STREAM.ACTIVITY': { guard: 'isCurrentAttempt', target: 'streaming', reenter: true },
            'STREAM.EVENT': [
              { guard: not('isCurrentAttempt') },
              // A replayed event is still a sign of life, so it restarts the watchdog.
              { guard: not('isNewEvent'), target: 'streaming', reenter: true },
              { guard: 'isDoneEvent', target: '#connection.ready', actions: ['recordEventId', 'finishTurn'] },
              { guard: 'isErrorEvent', actions: ['recordEventId', 'raiseStreamError'] },
              { target: 'streaming', reenter: true, actions: ['recordEventId', 'applyDelta'] },
            ],
          },
        },
      },
    },
    stalled: {
      always: [
        { guard: 'canRetry', target: 'reconnecting', actions: 'recordStall' },
        { target: 'offline', actions: 'recordStall' },
      ],
    },
    reconnecting: {
      after: {
        backoff: [{ guard: not('isAuthorized'), target: 'authorizing' }, { target: 'ready' }],
      },
      on: {
        'NETWORK.OFFLINE': { target: 'offline', actions: 'setOffline' },
        'PAGE.HIDDEN': { target: 'suspended', actions: 'setHidden' },
        'PAGE.FROZEN': { target: 'suspended', actions: 'setHidden' },
      },
    },
    offline: {
      initial: 'probing',
      entry: assign({ probes: 0 }),
      on: {
        'NETWORK.ONLINE': { target: '.probing', actions: 'setOnline' },
        'PAGE.HIDDEN': { target: 'suspended', actions: 'setHidden' },
        'PAGE.FROZEN': { target: 'suspended', actions: 'setHidden' },
      },
      states: {
        probing: {
          invoke: {
            src: 'probe',
            onDone: [
              // The server answers yet every try failed: retrying further would never end.
              { guard: not('canRetry'), target: '#connection.failed', actions: 'setOnline' },
              { guard: not('isAuthorized'), target: '#connection.authorizing', actions: 'setOnline' },
              { target: '#connection.ready', actions: 'setOnline' },
            ],
            // The network itself is gone: tries made meanwhile were not the server's fault.
            onError: { target: 'waiting', actions: ['resetAttempts', 'countProbe'] },
          },
        },
        waiting: {
          after: { probeInterval: 'probing' },
        },
      },
    },
    suspended: {
      on: {
        'PAGE.VISIBLE': [
          { guard: not('isAuthorized'), target: 'authorizing', actions: ['setVisible', 'resetAttempts'] },
          { target: 'ready', actions: ['setVisible', 'resetAttempts'] },
        ],
      },
    },
    failed: {
      entry: 'emitInterrupted',
      on: {
        RETRY: [
          { guard: not('isAuthorized'), target: 'authorizing', actions: 'resetAttempts' },
          { target: 'ready', actions: 'resetAttempts' },
        ],
        SEND: [
          { guard: not('isNewMessage') },
          { guard: not('isAuthorized'), target: 'authorizing', actions: ['enqueue', 'resetAttempts'] },
          { target: 'ready', actions: ['enqueue', 'resetAttempts'] },
        ],
      },
    },
    closed: {
      type: 'final',
    },
  },
});

export type ConnectionSnapshot = SnapshotFrom<typeof connectionMachine>;

export { connectionStateName } from './connectionStateName.js';
