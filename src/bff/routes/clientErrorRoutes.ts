import { Router, type RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * What a widget may say about a crash: where, and the error's class as a code. Strict, so a
 * message, a stack or any text a person typed has no field to travel in.
 */
export const clientErrorReport = z
  .object({
    v: z.literal(1),
    region: z.enum(['app', 'messages', 'composer', 'panel']),
    code: z.string().min(1).max(64).regex(/^[a-z0-9_.-]+$/),
    count: z.number().int().min(1).max(100).optional(),
  })
  .strict();

export type ClientErrorReport = z.infer<typeof clientErrorReport>;

export interface ClientErrorRouteDeps {
  requireManage: RequestHandler[];
  /** Counts `picasso_widget_errors_total{region,code}`. */
  count: (labels: { region: ClientErrorReport['region']; code: string }, by: number) => void;
  /** Reports per address and window; a crash loop must not become a flood. */
  perIp?: { windowMs: number; limit: number };
  /** Distinct codes kept as labels before the rest count as `other`, to bound the series. */
  maxCodes?: number;
  onLimited?: () => void;
}

/** POST /v1/client-errors: a widget region crashed. Needs the session's manage token; 204. */
export function clientErrorRoutes(deps: ClientErrorRouteDeps): Router {
  const router = Router();
  const maxCodes = deps.maxCodes ?? 50;
  const codes = new Set<string>();
  const limit = rateLimit({
    windowMs: deps.perIp?.windowMs ?? 60_000,
    limit: deps.perIp?.limit ?? 20,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    handler: (_req, res, next) => {
      deps.onLimited?.();
      res.setHeader('Retry-After', '60');
      next(new AppError('rate_limited', 'Too many error reports; try again later.', { retryAfterS: 60 }));
    },
  });

  router.post('/v1/client-errors', limit, ...deps.requireManage, (req, res, next) => {
    const parsed = clientErrorReport.safeParse(req.body);
    if (!parsed.success) {
      next(new AppError('validation_failed', 'Expected {v:1, region, code, count?}'));
      return;
    }
    const { region, code, count } = parsed.data;
    if (!codes.has(code) && codes.size < maxCodes) codes.add(code);
    deps.count({ region, code: codes.has(code) ? code : 'other' }, count ?? 1);
    res.status(204).end();
  });
  return router;
}
