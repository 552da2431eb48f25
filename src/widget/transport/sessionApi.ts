import type { PurposeToken, SessionGrant } from '../../machines/sessionMachine.js';
import { asFailure } from '../../machines/failure.js';
import { isRecord, requestJson, type HttpDeps } from './http.js';

/**
 * The session handle an earlier page left with the host page, for an iframe without storage of
 * its own: offered to every mint until the server has answered it, then dropped.
 */
export interface SessionHandleSource {
  current: () => string | null;
  drop: () => void;
}

/** HttpDeps that may carry a session handle source; the mint call then tries to resume first. */
export type SessionHttpDeps = HttpDeps & { sessionHandle?: SessionHandleSource };

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

function readResumedGrant(value: unknown, receivedAt: number): SessionGrant | null {
  const grant = readSessionGrant(value, receivedAt);
  const handle = isRecord(value) ? readToken(value.handle) : null;
  return grant && handle ? { ...grant, resumed: true, handle } : null;
}

/** `POST /v1/sessions/resume`: the same session again, for a handle kept by the host page. */
export function resumeSession(deps: HttpDeps, handle: string, embedKey: string): Promise<SessionGrant> {
  return requestJson(deps, '/v1/sessions/resume', { method: 'POST', token: handle, body: { tenant: embedKey } }, (value) =>
    readResumedGrant(value, deps.now()),
  );
}

/** A definite no from the server (expired, forged, another tenant's): minting afresh is the answer. */
function isRefusal(error: unknown): boolean {
  const failure = asFailure(error);
  return failure.kind === 'auth' || (failure.kind === 'fatal' && failure.status !== undefined);
}

/**
 * `POST /v1/sessions`: a session for the tenant of this embed key. With a session handle from an
 * earlier page, that session is resumed instead; a refused handle is dropped and a new session
 * minted, while a network or server failure keeps it for the machine's next try.
 */
export async function mintSession(deps: SessionHttpDeps, embedKey: string): Promise<SessionGrant> {
  const handle = deps.sessionHandle?.current();
  if (handle) {
    try {
      const grant = await resumeSession(deps, handle, embedKey);
      deps.sessionHandle?.drop();
      return grant;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      deps.sessionHandle?.drop();
    }
  }
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

/** `POST /v1/sessions/handle`: a session handle for the host page to keep (iframe without storage). */
export function fetchSessionHandle(deps: HttpDeps, manageToken: string): Promise<PurposeToken> {
  return requestJson(deps, '/v1/sessions/handle', { method: 'POST', token: manageToken }, (value) =>
    isRecord(value) ? readToken(value.handle) : null,
  );
}
