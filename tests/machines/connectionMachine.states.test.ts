import { createActor, fromCallback, fromPromise, SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { connectionMachine, connectionStateName } from '../../src/machines/connectionMachine.js';
import type { ConnectionEvent, OpenStreamInput } from '../../src/machines/connectionTypes.js';
import { flush } from './support/deferred.js';

describe('connectionMachine: state names', () => {
  it('names nested states by their meaningful part', async () => {
    const clock = new SimulatedClock();
    const seen = new Set<string>();
    const machine = connectionMachine.provide({
      actors: {
        authorize: fromPromise<void, { mode: 'start' | 'refresh' }>(async () => {}),
        openStream: fromCallback<ConnectionEvent, OpenStreamInput>(({ input, sendBack }) => {
          sendBack({ type: 'STREAM.OPEN', attemptId: input.attemptId });
        }),
        probe: fromPromise<void, void>(() => new Promise(() => {})),
      },
    });
    const actor = createActor(machine, {
      clock,
      input: {},
      inspect: (event) => {
        if (event.type === '@xstate.microstep' || event.type === '@xstate.snapshot') {
          const snapshot = event.actorRef === actor ? actor.getSnapshot() : null;
          if (snapshot) seen.add(connectionStateName(snapshot));
        }
      },
    });
    actor.subscribe((snapshot) => seen.add(connectionStateName(snapshot)));
    actor.start();
    actor.send({ type: 'START' });
    await flush();
    actor.send({ type: 'SEND', turn: { messageId: 'm', text: 't' } });
    await flush();
    expect(connectionStateName(actor.getSnapshot())).toBe('streaming');
    clock.increment(30_000);
    expect(connectionStateName(actor.getSnapshot())).toBe('reconnecting');
    actor.send({ type: 'NETWORK.OFFLINE' });
    expect(connectionStateName(actor.getSnapshot())).toBe('offline');
    actor.send({ type: 'PAGE.HIDDEN' });
    expect(connectionStateName(actor.getSnapshot())).toBe('suspended');
    actor.send({ type: 'DISPOSE' });
    expect(connectionStateName(actor.getSnapshot())).toBe('closed');
    for (const name of ['idle', 'authorizing', 'ready', 'connecting', 'streaming', 'reconnecting', 'offline', 'suspended', 'closed']) {
      expect(seen.has(name), name).toBe(true);
    }
  });

  it('passes through stalled on its way from a silent stream to reconnecting', async () => {
    const clock = new SimulatedClock();
    const path: string[] = [];
    const machine = connectionMachine.provide({
      actors: {
        authorize: fromPromise<void, { mode: 'start' | 'refresh' }>(async () => {}),
        openStream: fromCallback<ConnectionEvent, OpenStreamInput>(({ input, sendBack }) => {
          sendBack({ type: 'STREAM.OPEN', attemptId: input.attemptId });
        }),
      },
    });
    const actor = createActor(machine, {
      clock,
      input: {},
      inspect: (event) => {
        if (event.type === '@xstate.microstep') {
          const microstep = event as unknown as { snapshot: Parameters<typeof connectionStateName>[0] };
          path.push(connectionStateName(microstep.snapshot));
        }
      },
    });
    actor.start();
    actor.send({ type: 'START' });
    await flush();
    actor.send({ type: 'SEND', turn: { messageId: 'm', text: 't' } });
    await flush();
    path.length = 0;
    clock.increment(30_000);
    expect(path).toEqual(['stalled', 'reconnecting']);
  });
});
