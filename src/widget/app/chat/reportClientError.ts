import type { HttpDeps } from '../../transport/http.js';

export type ErrorRegion = 'app' | 'messages' | 'composer' | 'panel';

export interface ClientErrorReport {
  v: 1;
  region: ErrorRegion;
  code: string;
}

/** An error's class name as a report code: no message, no stack, nothing a user typed. */
export function errorCode(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  const code = name.toLowerCase().replace(/[^a-z0-9_.-]/g, '').slice(0, 64);
  return code === '' ? 'unknown' : code;
}

/** `POST /v1/client-errors`, fire and forget: a report that cannot be sent is not worth a retry. */
export function reportClientError(http: HttpDeps, manageToken: string, report: ClientErrorReport): void {
  void http
    .fetch(`${http.apiBase}/v1/client-errors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${manageToken}` },
      body: JSON.stringify(report),
      cache: 'no-store',
      keepalive: true,
    })
    .catch(() => {});
}
