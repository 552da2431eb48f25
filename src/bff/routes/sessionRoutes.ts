import { randomUUID } from 'node:crypto';
import { Router, type Request, type RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { TenantDirectory } from '../config/tenantDirectory.js';
import { mintSessionHandle } from '../auth/mintHandle.js';
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
  /** A manage token, sent from the BFF's own origin (the widget iframe). */
  requireWidgetManage: RequestHandler[];
  /** A session handle, sent from the BFF's own origin. */
  requireHandle: RequestHandler[];
  limitMint: RequestHandler[];
  onOriginDenied: (tenantId: string, req: Request) => void;
  onMinted: (tenantId: string, sessionId: string, req: Request) => void;
  onResumed: (tenantId: string, sessionId: string, req: Request) => void;
  /** A handle of one tenant presented by the widget of another. */
  onCrossTenant: (tenantId: string, sessionId: string, req: Request) => void;
}

/**
 * POST /v1/sessions mints a session for a tenant's embed key; /refresh renews its tokens.
 * /handle and /resume serve widgets whose iframe has no storage of its own: the host page keeps a
 * session handle for them, which only the widget itself can exchange for tokens (docs/security.md).
 */
export function sessionRoutes(deps: SessionRouteDeps): Router {
  const router = Router();
  const mint = (tenantId: string, sessionId: string) =>
    mintSessionTokens(deps.keys, { tenantId, sessionId }, {
      issuer: deps.issuer,
      streamTtlS: deps.streamTtlS,
      manageTtlS: deps.manageTtlS,
      now: deps.clock(),
    });
  const handleFor = (tenantId: string, sessionId: string) =>
    mintSessionHandle(deps.keys, { tenantId, sessionId }, { issuer: deps.issuer, ttlS: deps.manageTtlS, now: deps.clock() });

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

  router.post('/v1/sessions/handle', ...deps.requireWidgetManage, async (_req, res) => {
    const principal = principalOf(res);
    res.json({ handle: await handleFor(principal.tenantId, principal.sessionId) });
  });

  // The body names the widget's own tenant, so a host page cannot plant another tenant's handle.
  router.post('/v1/sessions/resume', ...deps.limitMint, ...deps.requireHandle, async (req, res) => {
    const principal = principalOf(res);
    const body = parseBody(req, createSessionBody);
    const tenant = deps.tenants.byEmbedKey(body.tenant);
    if (!tenant) throw new AppError('tenant_not_found', 'Unknown or disabled tenant');
    if (tenant.id !== principal.tenantId) {
      deps.onCrossTenant(principal.tenantId, principal.sessionId, req);
      throw new AppError('forbidden', 'This session belongs to another tenant');
    }
    const [tokens, handle] = await Promise.all([mint(tenant.id, principal.sessionId), handleFor(tenant.id, principal.sessionId)]);
    deps.onResumed(tenant.id, principal.sessionId, req);
    res.json({ sessionId: principal.sessionId, tokens, handle });
  });

  return router;
}
