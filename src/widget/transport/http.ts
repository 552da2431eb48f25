import type { Failure } from '../../machines/failure.js';
import { classifyFailure } from './classifyFailure.js';
import { httpErrorFrom } from './httpError.js';

export interface HttpDeps {
  /** Prefix of every API path; "" means the iframe's own origin. */
  apiBase: string;
  /** Must already be bound to its window: a detached `window.fetch` throws "Illegal invocation". */
  fetch: typeof fetch;
  now: () => number;
}

export interface ApiRequest {
  method: 'GET' | 'POST';
  token?: string | null;
  body?: unknown;
  signal?: AbortSignal;
}

const badResponse: Failure = { kind: 'retryable', code: 'bad_response' };

/**
 * Calls one JSON endpoint of the BFF. Rejects only with a Failure, so machine
 * actors can route the rejection without knowing about fetch.
 */
export async function requestJson<T>(
  deps: HttpDeps,
  path: string,
  request: ApiRequest,
  parse: (value: unknown) => T | null,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let response: Response;
  try {
    response = await deps.fetch(`${deps.apiBase}${path}`, {
      method: request.method,
      headers,
      body: request.body === undefined ? null : JSON.stringify(request.body),
      cache: 'no-store',
      signal: request.signal ?? null,
    });
  } catch (error) {
    throw classifyFailure(error);
  }
  if (!response.ok) throw classifyFailure(await httpErrorFrom(response, deps.now()));
  let value: unknown;
  try {
    value = await response.json();
  } catch (error) {
    throw error instanceof SyntaxError ? badResponse : classifyFailure(error);
  }
  const parsed = parse(value);
  if (parsed === null) throw badResponse;
  return parsed;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
