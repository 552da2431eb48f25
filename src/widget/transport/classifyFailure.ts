import type { Failure } from '../../machines/failure.js';
import { HttpError } from './httpError.js';

/**
 * Messages browsers give a fetch that never got an answer or lost it midway:
 * Chrome "Failed to fetch" / "network error", Safari "Load failed" and
 * "The network connection was lost.", Firefox "NetworkError when attempting to fetch resource.".
 */
const networkMessage = /failed to fetch|load failed|network ?error|network connection was lost|internet connection appears to be offline|fetch failed|terminated/i;

function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'NetworkError' || error.name === 'AbortError' || error.name === 'TimeoutError') return true;
  return error instanceof TypeError && networkMessage.test(error.message);
}

/** Maps an HTTP status to what the connection machine should do about it. */
export function classifyStatus(status: number, code: string, retryAfterMs?: number): Failure {
  if (status === 401) return { kind: 'auth', code, status };
  if (status === 408 || status === 429 || status >= 500 || status < 400) {
    return retryAfterMs === undefined ? { kind: 'retryable', code, status } : { kind: 'retryable', code, status, retryAfterMs };
  }
  return { kind: 'fatal', code, status };
}

/** Turns whatever a request threw into a Failure the machines can route on. */
export function classifyFailure(error: unknown): Failure {
  if (error instanceof HttpError) return classifyStatus(error.status, error.code, error.retryAfterMs);
  if (isNetworkError(error)) return { kind: 'network', code: 'network' };
  return { kind: 'retryable', code: 'unexpected' };
}
