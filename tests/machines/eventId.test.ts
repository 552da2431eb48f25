import { describe, expect, it } from 'vitest';
import { isAfterEventId } from '../../src/machines/eventId.js';

describe('isAfterEventId', () => {
  it('accepts any id when nothing was applied yet', () => {
    expect(isAfterEventId('1', null)).toBe(true);
  });

  it('orders decimal ids by value, not by text', () => {
    expect(isAfterEventId('10', '9')).toBe(true);
    expect(isAfterEventId('9', '10')).toBe(false);
    expect(isAfterEventId('100', '99')).toBe(true);
  });

  it('rejects an id equal to the last applied one', () => {
    expect(isAfterEventId('7', '7')).toBe(false);
    expect(isAfterEventId('007', '7')).toBe(false);
  });

  it('compares ids beyond 2^53 without losing precision', () => {
    expect(isAfterEventId('9007199254740993', '9007199254740992')).toBe(true);
    expect(isAfterEventId('9007199254740992', '9007199254740993')).toBe(false);
  });

  it('falls back to string order for ids that are not decimal', () => {
    expect(isAfterEventId('b', 'a')).toBe(true);
    expect(isAfterEventId('a', 'b')).toBe(false);
  });

  it('is monotonic over a long run of increasing ids', () => {
    let last: string | null = null;
    for (let i = 0; i < 2_000; i += 1) {
      const id = String(i);
      expect(isAfterEventId(id, last)).toBe(true);
      if (last !== null) expect(isAfterEventId(last, id)).toBe(false);
      last = id;
    }
  });
});
