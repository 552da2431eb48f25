import { parseRetryAfter } from './retryAfter.js';

/** A non-2xx (or non-SSE) answer, carrying only what retry decisions need. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    readonly code: string,
    readonly retryAfterMs?: number,
  ) {
    super(`HTTP ${status} ${code}`);
  }
}

const safeCode = /^[a-z0-9_]{1,64}$/;

/** Builds an HttpError from a response, reading the `{"error":{"code"}}` body when there is one. */
export async function httpErrorFrom(response: Response, nowMs: number): Promise<HttpError> {
  let code = `http_${response.status}`;
  try {
    const body: unknown = await response.json();
    const candidate = (body as { error?: { code?: unknown } } | null)?.error?.code;
    if (typeof candidate === 'string' && safeCode.test(candidate)) code = candidate;
  } catch {
    // Not JSON (a proxy's error page, say): the status alone has to do.
  }
  return new HttpError(response.status, code, parseRetryAfter(response.headers.get('retry-after'), nowMs));
}
