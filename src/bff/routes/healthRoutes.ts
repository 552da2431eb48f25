import { Router } from 'express';
import type { KeyStore } from '../auth/keyStore.js';
import type { Metrics } from '../observability/metrics.js';

export interface HealthRouteDeps {
  keys: KeyStore;
  metrics: Metrics;
  /** Resolves when storage and the model answer; rejects otherwise. */
  checkReady: () => Promise<void>;
  isShuttingDown: () => boolean;
}

/** Liveness, readiness, Prometheus metrics and the public verification keys. */
export function healthRoutes(deps: HealthRouteDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (deps.isShuttingDown()) {
      res.status(503).json({ error: { code: 'shutting_down', message: 'This process is shutting down' } });
      return;
    }
    try {
      await deps.checkReady();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ error: { code: 'not_ready', message: 'A dependency is unavailable' } });
    }
  });
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  router.get('/.well-known/jwks.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json(deps.keys.jwks());
  });
  return router;
}
