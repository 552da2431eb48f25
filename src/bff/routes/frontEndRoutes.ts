import express, { Router } from 'express';
import { AppError } from '../errors.js';
import type { TenantDirectory } from '../config/tenantDirectory.js';
import type { Tenant } from '../config/tenant.js';
import { widgetSecurityHeaders } from '../http/securityHeaders.js';
import type { StaticAssets } from './staticAssets.js';

const CONFIG_PLACEHOLDER = '__PICASSO_CONFIG__';

/** JSON inside a <script> element: `<` must not appear or `</script>` could end the element. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function widgetConfig(tenant: Tenant, testHooks: boolean, heartbeatMs: number) {
  return {
    v: 1,
    embedKey: tenant.embedKey,
    tenantName: tenant.name ?? tenant.id,
    theme: tenant.theme ?? {},
    allowedOrigins: tenant.allowedOrigins,
    apiBase: '',
    heartbeatMs,
    testHooks,
  };
}

/** loader.js for host pages, and the iframe document with its tenant's config and CSP. */
export function frontEndRoutes(deps: { assets: StaticAssets; tenants: TenantDirectory; production: boolean; testHooks?: boolean; heartbeatMs: number }): Router {
  const router = Router();
  const [before, after] = deps.assets.widgetHtml.split(CONFIG_PLACEHOLDER);
  if (after === undefined) throw new Error(`widget index.html lacks the ${CONFIG_PLACEHOLDER} placeholder`);

  router.get('/loader.js', (_req, res) => {
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Host pages on other origins must be able to load it.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.send(deps.assets.loaderJs);
  });

  router.get('/widget/', (req, res, next) => {
    const key = typeof req.query.tenant === 'string' ? req.query.tenant : '';
    const tenant = deps.tenants.byEmbedKey(key);
    if (!tenant) {
      next(new AppError('tenant_not_found', 'Unknown or disabled tenant'));
      return;
    }
    widgetSecurityHeaders(tenant.allowedOrigins, { production: deps.production })(req, res, () => {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.send(`${before}${scriptSafeJson(widgetConfig(tenant, deps.testHooks === true && !deps.production, deps.heartbeatMs))}${after}`);
    });
  });

  router.use(
    '/widget/assets',
    express.static(`${deps.assets.widgetDir}/assets`, { immutable: true, maxAge: '365d', index: false, fallthrough: false }),
  );
  return router;
}
