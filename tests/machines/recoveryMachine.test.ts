import { createActor, SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { recoveryMachine } from '../../src/machines/recoveryMachine.js';

function harness() {
  const clock = new SimulatedClock();
  let resets = 0;
  const machine = recoveryMachine.provide({
    actions: {
      resetBoundary: () => {
        resets += 1;
      },
    },
  });
  const actor = createActor(machine, { clock, input: {} });
  actor.start();
  return { actor, clock, resets: () => resets, state: () => actor.getSnapshot().value };
}

describe('recoveryMachine', () => {
  it('resets a crashed region automatically within a second', () => {
    const h = harness();
    expect(h.state()).toBe('healthy');
    h.actor.send({ type: 'CRASH' });
    expect(h.state()).toBe('crashed');
    h.clock.increment(299);
    expect(h.resets()).toBe(0);
    h.clock.increment(1);
    expect(h.state()).toBe('recovering');
    expect(h.resets()).toBe(1);
    h.actor.send({ type: 'RECOVERED' });
    expect(h.state()).toBe('healthy');
  });

  it('lets the user retry at once instead of waiting for the automatic reset', () => {
    const h = harness();
    h.actor.send({ type: 'CRASH' });
    h.actor.send({ type: 'RETRY' });
    expect(h.state()).toBe('recovering');
  });

  it('stays on the fallback after repeated crashes within the window', () => {
    const h = harness();
    for (let i = 0; i < 2; i += 1) {
      h.actor.send({ type: 'CRASH' });
      h.clock.increment(300);
      h.actor.send({ type: 'RECOVERED' });
    }
    h.actor.send({ type: 'CRASH' });
    expect(h.state()).toBe('fallback');
    h.clock.increment(60_000);
    expect(h.state()).toBe('fallback');
    expect(h.resets()).toBe(2);
  });

  it('counts a crash during the re-render as a repeated crash', () => {
    const h = harness();
    h.actor.send({ type: 'CRASH' });
    h.clock.increment(300);
    h.actor.send({ type: 'CRASH' });
    expect(h.state()).toBe('crashed');
    expect(h.actor.getSnapshot().context.crashes).toBe(2);
  });

  it('forgets old crashes after a whole window of health', () => {
    const h = harness();
    for (let i = 0; i < 2; i += 1) {
      h.actor.send({ type: 'CRASH' });
      h.clock.increment(300);
      h.actor.send({ type: 'RECOVERED' });
    }
    h.clock.increment(10_000);
    h.actor.send({ type: 'CRASH' });
    expect(h.state()).toBe('crashed');
  });

  it('leaves the fallback on a manual retry with a clean record', () => {
    const h = harness();
    for (let i = 0; i < 3; i += 1) {
      h.actor.send({ type: 'CRASH' });
      if (i < 2) {
        h.clock.increment(300);
        h.actor.send({ type: 'RECOVERED' });
      }
    }
    expect(h.state()).toBe('fallback');
    h.actor.send({ type: 'RETRY' });
    expect(h.state()).toBe('recovering');
    expect(h.actor.getSnapshot().context.crashes).toBe(0);
    h.actor.send({ type: 'RECOVERED' });
    expect(h.state()).toBe('healthy');
  });
});
