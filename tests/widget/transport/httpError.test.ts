import { describe, expect, it } from 'vitest';
import { httpErrorFrom } from '../../../src/widget/transport/httpError.js';

describe('httpErrorFrom', () => {
  it('takes the code from the JSON error body and the wait from Retry-After', async () => {
    const response = new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'slow down' } }), {
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '3' },
    });
    const error = await httpErrorFrom(response, 0);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfterMs: 3_000 });
  });

  it('falls back to the status for a body that is not the JSON error shape', async () => {
    const error = await httpErrorFrom(new Response('<html>Bad gateway</html>', { status: 502 }), 0);
    expect(error).toMatchObject({ status: 502, code: 'http_502', retryAfterMs: undefined });
  });

  it('does not take a code that could carry arbitrary text', async () => {
    const response = new Response(JSON.stringify({ error: { code: 'Patient John <b>' } }), { status: 400 });
    expect((await httpErrorFrom(response, 0)).code).toBe('http_400');
  });
});
