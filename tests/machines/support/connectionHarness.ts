import { createActor, fromCallback, fromPromise, SimulatedClock } from 'xstate';
import { connectionMachine, connectionStateName } from '../../../src/machines/connectionMachine.js';
import type {
  AuthorizeInput,
  ConnectionEmitted,
  ConnectionEvent,
  ConnectionInput,
  OpenStreamInput,
  StopTurnInput,
  StreamEvent,
} from '../../../src/machines/connectionTypes.js';
import type { Failure } from '../../../src/machines/failure.js';
import { deferred, flush, type Deferred } from './deferred.js';

export interface FakeStream {
  input: OpenStreamInput;
  stopped: boolean;
  open(): void;
  activity(): void;
  event(event: StreamEvent): void;
  fail(failure: Failure): void;
  /** Sends as this stream's attempt even after it was replaced: a late callback. */
  send(event: ConnectionEvent): void;
}

export function delta(id: string, text: string): StreamEvent {
  return { kind: 'delta', id, text };
}

export function done(id: string, messageId: string, stopReason = 'end_turn'): StreamEvent {
  return { kind: 'done', id, messageId, stopReason };
}

export const networkDown: Failure = { kind: 'network', code: 'network' };

/** The connection machine with every actor replaced by one the test drives by hand. */
export function createConnectionHarness(input: ConnectionInput = {}) {
  const clock = new SimulatedClock();
  const authorizations: Array<{ input: AuthorizeInput; result: Deferred<void> }> = [];
  const probes: Array<Deferred<void>> = [];
  const streams: FakeStream[] = [];
  const stops: StopTurnInput[] = [];
  const emitted: ConnectionEmitted[] = [];

  const machine = connectionMachine.provide({
    actors: {
      authorize: fromPromise<void, AuthorizeInput>(({ input: authInput }) => {
        const result = deferred<void>();
        authorizations.push({ input: authInput, result });
        return result.promise;
      }),
      openStream: fromCallback<ConnectionEvent, OpenStreamInput>(({ input: streamInput, sendBack }) => {
        const stream: FakeStream = {
          input: streamInput,
          stopped: false,
          open: () => sendBack({ type: 'STREAM.OPEN', attemptId: streamInput.attemptId }),
          activity: () => sendBack({ type: 'STREAM.ACTIVITY', attemptId: streamInput.attemptId }),
          event: (event) => sendBack({ type: 'STREAM.EVENT', attemptId: streamInput.attemptId, event }),
          fail: (failure) => sendBack({ type: 'STREAM.FAILURE', attemptId: streamInput.attemptId, failure }),
          send: (event) => sendBack(event),
        };
        streams.push(stream);
        return () => {
          stream.stopped = true;
        };
      }),
      probe: fromPromise<void, void>(() => {
        const result = deferred<void>();
        probes.push(result);
        return result.promise;
      }),
      stopTurn: fromPromise<void, StopTurnInput>(async ({ input: stopInput }) => {
        stops.push(stopInput);
      }),
    },
  });

  const actor = createActor(machine, { clock, input: { random: () => 0.5, ...input } });
  actor.on('*', (event) => emitted.push(event as ConnectionEmitted));
  actor.start();

  const lastStream = (): FakeStream => {
    const stream = streams.at(-1);
    if (!stream) throw new Error('no stream was opened');
    return stream;
  };

  return {
    actor,
    clock,
    authorizations,
    probes,
    streams,
    stops,
    emitted,
    lastStream,
    state: () => connectionStateName(actor.getSnapshot()),
    context: () => actor.getSnapshot().context,
    send: (event: ConnectionEvent) => actor.send(event),
    /** Starts and authorizes, leaving the machine in `ready` (or further, if turns wait). */
    async authorize(): Promise<void> {
      actor.send({ type: 'START' });
      authorizations.at(-1)?.result.resolve();
      await flush();
    },
    async resolveAuthorization(): Promise<void> {
      authorizations.at(-1)?.result.resolve();
      await flush();
    },
    async rejectAuthorization(failure: Failure): Promise<void> {
      authorizations.at(-1)?.result.reject(failure);
      await flush();
    },
    async resolveProbe(): Promise<void> {
      probes.at(-1)?.resolve();
      await flush();
    },
    async rejectProbe(): Promise<void> {
      probes.at(-1)?.reject({ kind: 'network', code: 'network' });
      await flush();
    },
    advance: (ms: number) => clock.increment(ms),
  };
}
