import { describe, expect, it } from 'vitest';
import { EventWriter } from '../../../src/bff/chat/eventWriter.js';
import type { TurnEvent } from '../../../src/bff/chat/turnEvent.js';

const delta = (seq: number): TurnEvent => ({ seq, type: 'delta', data: { text: `t${seq}` } });
const seqs = (writes: (readonly TurnEvent[])[]) => writes.map((batch) => batch.map((event) => event.seq));

function gatedWrites() {
  const writes: (readonly TurnEvent[])[] = [];
  const pending: Array<() => void> = [];
  const write = (events: readonly TurnEvent[]) =>
    new Promise<void>((resolve) => {
      writes.push(events);
      pending.push(resolve);
    });
  const settle = async () => {
    while (pending.length > 0) {
      pending.shift()!();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  };
  return { writes, write, settle };
}

describe('EventWriter', () => {
  it('writes the first event at once and stores what arrives meanwhile as one run', async () => {
    const { writes, write, settle } = gatedWrites();
    const writer = new EventWriter(write, () => undefined);
    writer.enqueue(delta(1));
    writer.enqueue(delta(2));
    writer.enqueue(delta(3));
    expect(seqs(writes)).toEqual([[1]]);
    await settle();
    await writer.close();
    expect(seqs(writes)).toEqual([[1], [2, 3]]);
  });

  it('spaces writes by the interval on its clock, storing what waited as one run', async () => {
    let now = 1_000;
    const sleeps: number[] = [];
    const written: number[][] = [];
    const writer = new EventWriter(
      async (events) => void written.push(events.map((event) => event.seq)),
      () => undefined,
      {
        minIntervalMs: 100,
        clock: () => now,
        sleep: async (ms, wake) => {
          sleeps.push(ms);
          if (!wake.aborted) now += ms;
        },
      },
    );
    writer.enqueue(delta(1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    now += 30;
    writer.enqueue(delta(2));
    writer.enqueue(delta(3));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sleeps).toEqual([70]);
    expect(written).toEqual([[1], [2, 3]]);

  });

  it('sleeps between many writes without piling listeners on its wake-up signal', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      let writes = 0;
      const writer = new EventWriter(async () => void (writes += 1), () => undefined, { minIntervalMs: 5 });
      // Events faster than the interval: every write after the first waits for it.
      for (let seq = 1; seq <= 80; seq++) {
        writer.enqueue(delta(seq));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await writer.close();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(writes).toBeGreaterThan(10);
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('close wakes a write waiting for its interval and gives back its events unwritten', async () => {
    const written: number[][] = [];
    const writer = new EventWriter(
      async (events) => void written.push(events.map((event) => event.seq)),
      () => undefined,
      {
        minIntervalMs: 60_000,
        // Resolves only when woken: without the close's wake-up this test would time out.
        sleep: (_ms, wake) => new Promise<void>((resolve) => (wake.aborted ? resolve() : wake.addEventListener('abort', () => resolve()))),
      },
    );
    writer.enqueue(delta(1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    writer.enqueue(delta(2));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(written).toEqual([[1]]);
    expect((await writer.close()).map((event) => event.seq)).toEqual([2]);
    writer.enqueue(delta(3));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(written).toEqual([[1]]);
  });

  it('close waits for the write in flight to land', async () => {
    const { writes, write, settle } = gatedWrites();
    const writer = new EventWriter(write, () => undefined);
    writer.enqueue(delta(1));
    let closed = false;
    const closing = writer.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(closed).toBe(false);
    await settle();
    await closing;
    expect(seqs(writes)).toEqual([[1]]);
  });

  it('reports the first storage failure once, drops later events, and makes close reject', async () => {
    const failures: unknown[] = [];
    let calls = 0;
    const writer = new EventWriter(
      async () => {
        calls += 1;
        throw new Error('storage down');
      },
      (error) => failures.push(error),
    );
    writer.enqueue(delta(1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    writer.enqueue(delta(2));
    await new Promise((resolve) => setTimeout(resolve, 0));
    await expect(writer.close()).rejects.toThrow('storage down');
    expect(writer.failed).toBe(true);
    expect(failures).toHaveLength(1);
    expect(calls).toBe(1);
  });
});
