import { describe, expect, it } from 'vitest';
import type { TurnEvent } from '../../../src/bff/chat/turnEvent.js';
import { packEvents, packedSize, unpackEvents } from '../../../src/bff/store/packedEvents.js';

const delta = (seq: number, text: string): TurnEvent => ({ seq, type: 'delta', data: { text } });

describe('packed turn events', () => {
  it('gives back the same events, deltas, done and error alike', () => {
    const events: TurnEvent[] = [
      delta(7, 'Hello'),
      delta(8, ' "quoted" \\ text'),
      delta(9, ''),
      { seq: 10, type: 'error', data: { code: 'model_unavailable', message: 'later', retryable: true } },
      { seq: 11, type: 'done', data: { messageId: 'a8a4f0c2-3f0e-4d8e-9d6f-2b1d3c4e5f60', stopReason: 'end_turn' } },
    ];
    expect(unpackEvents(packEvents(events))).toEqual(events);
  });

  it('stores a run of deltas as little more than its text', () => {
    const events = Array.from({ length: 85 }, (_, i) => delta(i + 1, 'word '));
    const stored = packEvents(events);
    expect(stored.length).toBeLessThan('word '.length * 85 + 3 * 85 + 10);
    expect(unpackEvents(stored)).toEqual(events);
  });

  it('keeps the seq of an event that does not follow the one before it', () => {
    const events = [delta(3, 'a'), delta(4, 'b'), delta(9, 'c'), delta(10, 'd')];
    expect(unpackEvents(packEvents(events))).toEqual(events);
  });

  it('stores an empty list as an empty list', () => {
    expect(unpackEvents(packEvents([]))).toEqual([]);
  });

  it('sizes an event as the bytes it adds to a stored list', () => {
    const event = delta(2, 'héllo');
    const alone = packEvents([delta(1, 'x')]);
    expect(Buffer.byteLength(packEvents([delta(1, 'x'), event])) - Buffer.byteLength(alone)).toBe(packedSize(event));
  });
});
