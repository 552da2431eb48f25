import { Router } from 'express';
import type { TenantDirectory } from '../config/tenantDirectory.js';
import { AppError } from '../errors.js';
import { canonicalOrigin } from '../http/origins.js';

/** Long enough to spare a busy site a request per page view, short enough for a switched-off tenant. */
const STATUS_MAX_AGE_S = 60;

/**
 * The loader asks before it draws the launcher. It loads this as a `<script crossorigin>`: the
 * host page already allows the BFF in `script-src` for loader.js, while `connect-src` would be a
 * new demand on its CSP. So success is an empty script (the element's load event) and every
 * refusal an HTTP error (its error event); the request is CORS, so `Origin` is the real page.
 */
const AVAILABLE_SCRIPT = '// The Picasso widget is available on this page.\n';

function isTenantOrigin(origin: string, allowedOrigins: readonly string[]): boolean {
  const candidate = canonicalOrigin(origin);
  return candidate !== undefined && allowedOrigins.some((entry) => canonicalOrigin(entry) === candidate);
}

/** GET /v1/tenants/:embedKey: whether the widget of this embed key may appear on the calling page. */
export function tenantRoutes(deps: { tenants: TenantDirectory }): Router {
  const router = Router();
  router.get('/v1/tenants/:embedKey', (req, res) => {
    const tenant = deps.tenants.byEmbedKey(req.params.embedKey);
    if (!tenant) throw new AppError('tenant_not_found', 'Unknown or disabled tenant');
    // Without Origin the caller is not a cross-origin page; the answer then covers the tenant alone.
    const origin = req.headers.origin;
    if (origin !== undefined && !isTenantOrigin(origin, tenant.allowedOrigins)) {
      throw new AppError('origin_not_allowed', 'The widget of this tenant may not appear on this origin');
    }
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', `public, max-age=${STATUS_MAX_AGE_S}`);
    res.vary('Origin');
    res.send(AVAILABLE_SCRIPT);
  });
  return router;
}
