import type { PurposeToken, SessionGrant } from '../../machines/sessionMachine.js';
import { isRecord, requestJson, type HttpDeps } from './http.js';

function readToken(value: unknown): PurposeToken | null {
  if (!isRecord(value) || typeof value.token !== 'string' || typeof value.expiresAt !== 'number') return null;
  return { token: value.token, expiresAt: value.expiresAt };
}

/** Validates the `{sessionId, tokens:{stream, manage}}` body shared by mint and refresh. */
export function readSessionGrant(value: unknown, receivedAt: number): SessionGrant | null {
  if (!isRecord(value) || typeof value.sessionId !== 'string' || !isRecord(value.tokens)) return null;
  const stream = readToken(value.tokens.stream);
  const manage = readToken(value.tokens.manage);
  if (!stream || !manage) return null;
  return { sessionId: value.sessionId, tokens: { stream, manage }, receivedAt };
}

/** `POST /v1/sessions`: a new session for the tenant of this embed key. */
export function mintSession(deps: HttpDeps, embedKey: string): Promise<SessionGrant> {
  return requestJson(deps, '/v1/sessions', { method: 'POST', body: { tenant: embedKey } }, (value) =>
    readSessionGrant(value, deps.now()),
  );
}

/** `POST /v1/sessions/refresh`: fresh tokens for the same session. */
export function refreshSession(deps: HttpDeps, manageToken: string): Promise<SessionGrant> {
  return requestJson(deps, '/v1/sessions/refresh', { method: 'POST', token: manageToken }, (value) =>
    readSessionGrant(value, deps.now()),
  );
}
