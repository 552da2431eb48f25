import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors.js';
import { canonicalOrigin } from '../http/origins.js';
import { principalOf } from './principal.js';

/**
 * After the token check, for the session-handle endpoints: the request must come from the BFF's
 * own origin, i.e. from the widget iframe. A script on a host page cannot set Origin, so a handle
 * it read from its own sessionStorage is worth nothing to it, and it cannot turn a manage token it
 * holds (for a session it minted itself) into a handle to plant in the widget. A missing Origin
 * (not a browser page) is refused too: browsers always send it on POST.
 */
export function requireOwnOrigin(ownOrigin: string, onDenied: (tenantId: string, sessionId: string, req: Request) => void): RequestHandler {
  const own = canonicalOrigin(ownOrigin);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin !== undefined && own !== undefined && canonicalOrigin(origin) === own) {
      next();
      return;
    }
    const principal = principalOf(res);
    try {
      onDenied(principal.tenantId, principal.sessionId, req);
    } catch {
      // A failing metrics or audit hook must not turn a 403 into a 500.
    }
    next(new AppError('origin_not_allowed', 'Session handles are accepted only from the widget itself'));
  };
}
