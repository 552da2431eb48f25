import { describe, expect, it } from 'vitest';
import { asFailure } from '../../src/machines/failure.js';

describe('asFailure', () => {
  it('keeps a well-formed failure as it is', () => {
    const failure = { kind: 'retryable' as const, code: 'http_503', status: 503, retryAfterMs: 1000 };
    expect(asFailure(failure)).toBe(failure);
  });

  it('turns anything else into a fatal unexpected failure', () => {
    expect(asFailure(new Error('boom'))).toEqual({ kind: 'fatal', code: 'unexpected' });
    expect(asFailure({ kind: 'weird', code: 'x' })).toEqual({ kind: 'fatal', code: 'unexpected' });
    expect(asFailure(null)).toEqual({ kind: 'fatal', code: 'unexpected' });
  });
});
