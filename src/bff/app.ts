import express, { type Express, type Request, type RequestHandler } from 'express';
import { auditInBackground } from './audit/auditInBackground.js';
import { auditOrigin } from './audit/requestContext.js';
import type { Config } from './config/config.js';
import { TenantDirectory } from './config/tenantDirectory.js';
import type { KeyStore } from './auth/keyStore.js';
import { requireOwnOrigin } from './auth/requireOwnOrigin.js';
import { requireToken } from './auth/requireToken.js';
import type { AuthFailureEvent } from './auth/tokenErrors.js';
import type { ChatService } from './chat/chatService.js';
import { errorMiddleware, notFound } from './http/errorMiddleware.js';
import { corsFor } from './http/origins.js';
import { requireTenantOrigin } from './http/tenantOrigin.js';
import { createRateLimits, type RateLimitOptions } from './http/rateLimits.js';
import { apiSecurityHeaders } from './http/securityHeaders.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import { countRequests } from './observability/countRequests.js';
import { requestLogging } from './observability/requestLogging.js';
import { timeStateOperations } from './observability/timeStateOperations.js';
import type { MessageStore } from './store/messageStore.js';
import type { Persistence } from './store/persistence.js';
import { chatRoutes } from './routes/chatRoutes.js';
import { clientErrorRoutes } from './routes/clientErrorRoutes.js';
import { frontEndRoutes } from './routes/frontEndRoutes.js';
import { healthRoutes } from './routes/healthRoutes.js';
import { sessionRoutes } from './routes/sessionRoutes.js';
import { stateRoutes } from './routes/stateRoutes.js';
import { tenantRoutes } from './routes/tenantRoutes.js';
import type { StaticAssets } from './routes/staticAssets.js';

export interface AppDeps {
  config: Config;
  keys: KeyStore;
  chat: ChatService;
  messages: MessageStore;
  persistence: Persistence;
  metrics: Metrics;
  log: Logger;
  assets: StaticAssets;
  clock: () => number;
  checkReady: () => Promise<void>;
  isShuttingDown: () => boolean;
  /** Overrides the configured SSE heartbeat (SSE_HEARTBEAT_S). */
  heartbeatMs?: number;
  rateLimits?: Pick<RateLimitOptions, 'perIp' | 'perTenant'>;
}

/** The BFF's HTTP surface: routes -> services -> ports, all passed in. */
export function createApp(deps: AppDeps): Express {
  const { config, metrics, log } = deps;
  const tenants = new TenantDirectory(config.tenants);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.production ? 1 : false);
  app.use(requestLogging(log));
  app.use(countRequests(metrics));

  const audit = auditInBackground(deps.persistence.audit, log, (action) => {
    metrics.storageErrors.inc({ operation: `audit.${action}` });
    metrics.auditWriteFailures.inc({ action });
  });
  const onAuthFailure = (event: AuthFailureEvent, req: Request) => {
    metrics.authFailures.inc({ reason: event.reason });
    log.warn({ reason: event.reason, tokenId: event.tokenId, tenantId: event.tenantId }, 'token rejected');
    audit({
      action: 'auth.failure',
      outcome: 'denied',
      ...(event.tenantId ? { tenantId: event.tenantId } : {}),
      ...(event.tokenId ? { tokenId: event.tokenId } : {}),
      ...auditOrigin(req),
      detail: { reason: event.reason },
    });
  };
  const authDeps = { keys: deps.keys, issuer: config.publicOrigin, clock: deps.clock, onFailure: onAuthFailure };
  const tenantOrigin = requireTenantOrigin(tenants, config.publicOrigin, (tenantId, sessionId, req) => {
    metrics.securityEvents.inc({ kind: 'cross_tenant_attempt' });
    log.warn({ tenantId }, 'token used from an origin of another tenant');
    audit({ action: 'tenant.cross_attempt', outcome: 'denied', tenantId, sessionId, ...auditOrigin(req), detail: { reason: 'tenant_mismatch' } });
  });
  const requireStream = [requireToken(authDeps, 'stream'), tenantOrigin];
  const requireManage = [requireToken(authDeps, 'manage'), tenantOrigin];
  const widgetOnly = requireOwnOrigin(config.publicOrigin, (tenantId, sessionId, req) => {
    metrics.securityEvents.inc({ kind: 'origin_denied' });
    log.warn({ tenantId }, 'session handle endpoint called from another origin than the widget');
    audit({ action: 'origin.denied', outcome: 'denied', tenantId, sessionId, ...auditOrigin(req), detail: { reason: 'origin_not_allowed' } });
  });
  const limits = createRateLimits({
    clock: deps.clock,
    perIp: deps.rateLimits?.perIp ?? { windowMs: 60_000, limit: 300 },
    perTenant: deps.rateLimits?.perTenant ?? { windowMs: 60_000, limit: 6_000 },
    onLimited: (limit) => metrics.rateLimited.inc({ limit }),
    tenantOfMintRequest: (req) => {
      const body: unknown = req.body;
      const key = typeof body === 'object' && body !== null && 'tenant' in body ? String(body.tenant) : '';
      return tenants.byEmbedKey(key)?.id;
    },
  });

  const heartbeatMs = deps.heartbeatMs ?? config.heartbeatMs;
  app.use(frontEndRoutes({ assets: deps.assets, tenants, production: config.production, testHooks: config.testHooks === true, heartbeatMs }));
  // Everything after the front end is API: not frameable, not sniffable, not cached by default.
  app.use(apiSecurityHeaders({ production: config.production }));
  app.use(healthRoutes(deps));

  const allOrigins = config.tenants.filter((t) => t.enabled).flatMap((t) => t.allowedOrigins);
  const api = express.Router();
  api.use(corsFor(() => allOrigins, config.publicOrigin));
  api.use(express.json({ limit: '32kb', strict: true }) as RequestHandler);
  api.use(
    sessionRoutes({
      tenants,
      keys: deps.keys,
      issuer: config.publicOrigin,
      streamTtlS: config.tokenTtlStreamS,
      manageTtlS: config.tokenTtlManageS,
      clock: deps.clock,
      requireManage,
      requireWidgetManage: [...requireManage, widgetOnly],
      requireHandle: [requireToken(authDeps, 'handle'), widgetOnly],
      limitMint: [limits.sessionMint],
      onOriginDenied: (tenantId, req) => {
        metrics.securityEvents.inc({ kind: 'origin_denied' });
        log.warn({ tenantId }, 'origin denied');
        audit({ action: 'origin.denied', outcome: 'denied', tenantId, ...auditOrigin(req), detail: { reason: 'origin_not_allowed' } });
      },
      onMinted: (tenantId, sessionId, req) => {
        log.info({ tenantId }, 'session minted');
        audit({ action: 'session.mint', outcome: 'success', tenantId, sessionId, ...auditOrigin(req) });
      },
      onResumed: (tenantId, sessionId, req) => {
        log.info({ tenantId }, 'session resumed from a handle');
        audit({ action: 'session.refresh', outcome: 'success', tenantId, sessionId, ...auditOrigin(req) });
      },
      onCrossTenant: (tenantId, sessionId, req) => {
        metrics.securityEvents.inc({ kind: 'cross_tenant_attempt' });
        log.warn({ tenantId }, 'session handle presented by the widget of another tenant');
        audit({ action: 'tenant.cross_attempt', outcome: 'denied', tenantId, sessionId, ...auditOrigin(req), detail: { reason: 'tenant_mismatch' } });
      },
    }),
  );
  api.use(tenantRoutes({ tenants }));
  api.use(chatRoutes({ chat: deps.chat, tenants, metrics, requireStream, limitChat: [limits.chat], heartbeatMs }));
  api.use(timeStateOperations(metrics));
  api.use(stateRoutes({ ...deps.persistence, messages: deps.messages, requireManage }));
  api.use(clientErrorRoutes({ requireManage, count: (labels, by) => metrics.widgetErrors.inc(labels, by), onLimited: () => metrics.rateLimited.inc({ limit: 'client_errors_ip' }) }));
  app.use(api);

  app.use(notFound);
  app.use(errorMiddleware(log, metrics));
  return app;
}
