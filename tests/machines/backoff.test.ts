import { describe, expect, it } from 'vitest';
import { fullJitterBackoff } from '../../src/machines/backoff.js';

const policy = { baseMs: 250, capMs: 8_000 };

describe('fullJitterBackoff', () => {
  it('stays below base * 2^attempt for every random pick', () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const ceiling = 250 * 2 ** attempt;
      expect(fullJitterBackoff(attempt, () => 0, policy)).toBe(0);
      expect(fullJitterBackoff(attempt, () => 0.999999, policy)).toBeLessThan(ceiling);
      expect(fullJitterBackoff(attempt, () => 0.5, policy)).toBe(ceiling / 2);
    }
  });

  it('never exceeds the cap however many attempts were made', () => {
    expect(fullJitterBackoff(40, () => 0.999999, policy)).toBeLessThan(8_000);
    expect(fullJitterBackoff(1_000, () => 0.5, policy)).toBe(4_000);
  });

  it('treats a random source outside [0, 1) as its nearest bound', () => {
    expect(fullJitterBackoff(0, () => -3, policy)).toBe(0);
    expect(fullJitterBackoff(0, () => 7, policy)).toBeLessThan(250);
  });

  it('treats a negative attempt as the first one', () => {
    expect(fullJitterBackoff(-1, () => 0.5, policy)).toBe(125);
  });
});
