import type { Request, RequestHandler } from 'express';
import type { KeyStore } from './keyStore.js';
import { TokenError, toTokenError, type AuthFailureEvent } from './tokenErrors.js';
import type { AnyPurpose } from './tokenPolicy.js';
import { verifyToken } from './verifyToken.js';

export type { AuthFailureEvent, AuthFailureReason } from './tokenErrors.js';

export interface RequireTokenDeps {
  keys: KeyStore;
  issuer: string;
  /** Epoch milliseconds. */
  clock: () => number;
  /** Hears every rejection (for metrics and the audit trail); it never sees the token. */
  onFailure?: (event: AuthFailureEvent, req: Request) => void;
}

// RFC 6750 §2.1: b64token after the scheme; the scheme name is case-insensitive (RFC 9110 §11.1).
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

function bearerToken(header: string | undefined): string {
  if (header === undefined || header === '') throw new TokenError('missing');
  const match = BEARER.exec(header);
  if (match?.[1] === undefined) throw new TokenError('malformed');
  return match[1];
}

/**
 * Admits a request only with a valid token of the given purpose in the Authorization header
 * (tokens in the URL leak into logs and history, so the query string and body are never read),
 * and stores its principal in res.locals for the route.
 */
export function requireToken(deps: RequireTokenDeps, purpose: AnyPurpose): RequestHandler {
  return async (req, res, next) => {
    try {
      // Node keeps only the first of two Authorization lines; a proxy may have read the other one.
      if ((req.headersDistinct.authorization?.length ?? 0) > 1) throw new TokenError('malformed');
      const token = bearerToken(req.headers.authorization);
      res.locals.principal = await verifyToken(deps.keys, token, purpose, { issuer: deps.issuer, now: deps.clock() });
    } catch (error) {
      const rejection = toTokenError(error);
      try {
        deps.onFailure?.(rejection.event(), req);
      } catch {
        // A failing metrics or audit hook must not turn a 401 into a 500.
      }
      next(rejection);
      return;
    }
    next();
  };
}
