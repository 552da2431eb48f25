import { describe, expect, it } from 'vitest';
import { classifyFailure, classifyStatus } from '../../../src/widget/transport/classifyFailure.js';
import { HttpError } from '../../../src/widget/transport/httpError.js';

describe('classifyFailure', () => {
  it.each([
    ['Chrome', new TypeError('Failed to fetch')],
    ['Safari', new TypeError('Load failed')],
    ['Safari, mid-stream', new TypeError('The network connection was lost.')],
    ['Firefox', new TypeError('NetworkError when attempting to fetch resource.')],
    ['Chrome, mid-body', new TypeError('network error')],
    ['Node', new TypeError('fetch failed')],
  ])('treats the %s network error as a network failure', (_browser, error) => {
    expect(classifyFailure(error)).toEqual({ kind: 'network', code: 'network' });
  });

  it('does not mistake a programming error for the network', () => {
    expect(classifyFailure(new TypeError("Cannot read properties of undefined (reading 'x')"))).toEqual({
      kind: 'retryable',
      code: 'unexpected',
    });
  });

  it('refreshes on 401 only', () => {
    expect(classifyFailure(new HttpError(401, 'token_expired'))).toEqual({ kind: 'auth', code: 'token_expired', status: 401 });
    expect(classifyFailure(new HttpError(403, 'forbidden')).kind).toBe('fatal');
  });

  it.each([408, 429, 500, 502, 503, 504])('retries HTTP %i', (status) => {
    expect(classifyStatus(status, `http_${status}`).kind).toBe('retryable');
  });

  it.each([400, 404, 409, 413, 422])('gives up on HTTP %i', (status) => {
    expect(classifyStatus(status, `http_${status}`).kind).toBe('fatal');
  });

  it('keeps the Retry-After of a 429 or 503', () => {
    expect(classifyFailure(new HttpError(429, 'rate_limited', 2_000))).toEqual({
      kind: 'retryable',
      code: 'rate_limited',
      status: 429,
      retryAfterMs: 2_000,
    });
    expect(classifyFailure(new HttpError(503, 'storage_unavailable', 7_000)).retryAfterMs).toBe(7_000);
  });

  it('retries an answer that was not the event stream it expected', () => {
    expect(classifyFailure(new HttpError(200, 'unexpected_content_type')).kind).toBe('retryable');
  });
});
