import { randomUUID } from 'node:crypto';
import { Router, type Request, type RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { TenantDirectory } from '../config/tenantDirectory.js';
import { mintSessionTokens } from '../auth/mintTokens.js';
import type { KeyStore } from '../auth/keyStore.js';
import { isOriginAllowed } from '../http/origins.js';
import { createSessionBody } from '../http/schemas.js';
import { parseBody } from '../http/validate.js';
import { principalOf } from '../auth/principal.js';

export interface SessionRouteDeps {
  tenants: TenantDirectory;
  keys: KeyStore;
  issuer: string;
  streamTtlS: number;
  manageTtlS: number;
  clock: () => number;
  requireManage: RequestHandler[];
  limitMint: RequestHandler[];
  onOriginDenied: (tenantId: string, req: Request) => void;
  onMinted: (tenantId: string, sessionId: string, req: Request) => void;
}

/** POST /v1/sessions mints a session for a tenant's embed key; /refresh renews its tokens. */
export function sessionRoutes(deps: SessionRouteDeps): Router {
  const router = Router();
  const mint = (tenantId: string, sessionId: string) =>
    mintSessionTokens(deps.keys, { tenantId, sessionId }, {
      issuer: deps.issuer,
      streamTtlS: deps.streamTtlS,
      manageTtlS: deps.manageTtlS,
      now: deps.clock(),
    });

  router.post('/v1/sessions', ...deps.limitMint, async (req, res) => {
    const body = parseBody(req, createSessionBody);
    const tenant = deps.tenants.byEmbedKey(body.tenant);
    if (!tenant) throw new AppError('tenant_not_found', 'Unknown or disabled tenant');
    const origin = req.get('origin');
    if (origin !== undefined && !isOriginAllowed(origin, tenant.allowedOrigins, deps.issuer)) {
      deps.onOriginDenied(tenant.id, req);
      throw new AppError('origin_not_allowed', 'This origin may not start sessions for this tenant');
    }
    const sessionId = randomUUID();
    const tokens = await mint(tenant.id, sessionId);
    deps.onMinted(tenant.id, sessionId, req);
    res.status(201).json({ sessionId, tokens });
  });

  router.post('/v1/sessions/refresh', ...deps.requireManage, async (_req, res) => {
    const principal = principalOf(res);
    if (!deps.tenants.get(principal.tenantId)) throw new AppError('tenant_not_found', 'Unknown or disabled tenant');
    const tokens = await mint(principal.tenantId, principal.sessionId);
    res.json({ sessionId: principal.sessionId, tokens });
  });

  return router;
}
