import { AsyncLocalStorage } from 'node:async_hooks';

/** The request a piece of work belongs to, so every log line it writes names that request. */
export interface RequestScope {
  reqId: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

/** The id of the request being served, or undefined outside a request (start-up, timers). */
export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.reqId;
}
