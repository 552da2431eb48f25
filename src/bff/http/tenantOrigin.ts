import type { Request, RequestHandler } from 'express';
import { principalOf } from '../auth/principal.js';
import type { TenantDirectory } from '../config/tenantDirectory.js';
import { AppError } from '../errors.js';
import { isOriginAllowed } from './origins.js';

/**
 * After the token check: a browser request must come from the BFF's own origin (the iframe) or
 * one of the token's tenant's origins. A token of tenant A used from tenant B's page is refused,
 * and reported as a cross-tenant attempt. Requests without an Origin are not from a browser page.
 */
export function requireTenantOrigin(
  tenants: TenantDirectory,
  ownOrigin: string,
  onDenied: (tenantId: string, sessionId: string, req: Request) => void,
): RequestHandler {
  return (req, res, next) => {
    const principal = principalOf(res);
    const tenant = tenants.get(principal.tenantId);
    if (!tenant) {
      next(new AppError('tenant_not_found', 'Unknown or disabled tenant'));
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !isOriginAllowed(origin, tenant.allowedOrigins, ownOrigin)) {
      onDenied(principal.tenantId, principal.sessionId, req);
      next(new AppError('origin_not_allowed', 'This origin may not use this session'));
      return;
    }
    next();
  };
}
