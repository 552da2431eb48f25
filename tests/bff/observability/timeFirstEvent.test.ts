import { describe, expect, it } from 'vitest';
import { timeFirstEvent } from '../../../src/bff/observability/timeFirstEvent.js';

async function* feedOf(values: number[], clock: { now: number }) {
  for (const value of values) {
    clock.now += 100;
    yield value;
  }
}

describe('timeFirstEvent', () => {
  it('passes every event through and observes once, at the first event', async () => {
    const clock = { now: 1_000 };
    const seen: number[] = [];
    const out: number[] = [];
    for await (const v of timeFirstEvent(feedOf([1, 2, 3], clock), 900, () => clock.now, (s) => seen.push(s))) out.push(v);
    expect(out).toEqual([1, 2, 3]);
    expect(seen).toEqual([0.2]);
  });

  it('observes nothing for a feed that ends without an event, and closes the inner feed when the reader stops', async () => {
    const clock = { now: 0 };
    const seen: number[] = [];
    for await (const _ of timeFirstEvent(feedOf([], clock), 0, () => clock.now, (s) => seen.push(s))) void _;
    expect(seen).toEqual([]);
    let closed = false;
    async function* endless() {
      try {
        for (;;) yield 1;
      } finally {
        closed = true;
      }
    }
    for await (const _ of timeFirstEvent(endless(), 0, () => 0, () => undefined)) break;
    expect(closed).toBe(true);
  });
});
