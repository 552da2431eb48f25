import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type AugmentedRequest, type Options, type Store } from 'express-rate-limit';
import { AppError } from '../errors.js';

export interface RateWindow {
  windowMs: number;
  limit: number;
}

export type RateLimitKind = 'session_ip' | 'session_tenant' | 'chat_ip' | 'chat_tenant';

export interface RateLimitOptions {
  /** Epoch milliseconds. */
  clock?: () => number;
  perIp: RateWindow;
  perTenant: RateWindow;
  /**
   * The tenant a session-minting request is for, resolved from its embed key (no token exists
   * yet); undefined (unknown key) skips the tenant limit, the per-IP limit still applies.
   */
  tenantOfMintRequest?: (req: Request) => string | undefined;
  onLimited?: (kind: RateLimitKind) => void;
}

export interface RateLimits {
  /** For POST /v1/sessions (after the body is parsed, if tenantOfMintRequest reads it). */
  sessionMint: RequestHandler;
  /** For POST /v1/chat, after requireToken: the tenant comes from the verified principal. */
  chat: RequestHandler;
}

/**
 * A fixed-window counter in this process's memory, driven by the injected clock. Several
 * processes each count on their own; a shared limit needs a shared store (a deployment concern).
 */
class WindowCounter implements Store {
  readonly localKeys = true;
  private windowMs = 60_000;
  private lastSweep: number;
  private readonly windows = new Map<string, { hits: number; resetAt: number }>();

  constructor(
    private readonly clock: () => number,
    readonly prefix: string,
  ) {
    this.lastSweep = clock();
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  increment(key: string): { totalHits: number; resetTime: Date } {
    const now = this.clock();
    this.sweep(now);
    let window = this.windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      window = { hits: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.hits += 1;
    // The library computes header deltas against the wall clock; keep them right with any clock.
    return { totalHits: window.hits, resetTime: new Date(Date.now() + (window.resetAt - now)) };
  }

  decrement(key: string): void {
    const window = this.windows.get(key);
    if (window !== undefined && window.hits > 0) window.hits -= 1;
  }

  resetKey(key: string): void {
    this.windows.delete(key);
  }

  resetAll(): void {
    this.windows.clear();
  }

  retryAfterS(key: string): number {
    const window = this.windows.get(key);
    const remainingMs = window === undefined ? this.windowMs : window.resetAt - this.clock();
    return Math.max(1, Math.ceil(remainingMs / 1000));
  }

  /** Dropping ended windows once per window length bounds memory to the keys of one window. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

type KeyOf = (req: Request, res: Response) => string | undefined;

const ipOf: KeyOf = (req) => ipKeyGenerator(req.ip ?? 'unknown');

function tenantOfPrincipal(_req: Request, res: Response): string | undefined {
  const principal: unknown = res.locals.principal;
  if (typeof principal !== 'object' || principal === null) return undefined;
  const tenantId = (principal as { tenantId?: unknown }).tenantId;
  return typeof tenantId === 'string' ? tenantId : undefined;
}

function limiter(kind: RateLimitKind, window: RateWindow, keyOf: KeyOf, options: RateLimitOptions): RequestHandler {
  const store = new WindowCounter(options.clock ?? Date.now, `${kind}:`);
  const property = `rateLimit_${kind}`;
  return rateLimit({
    windowMs: window.windowMs,
    limit: window.limit,
    store,
    requestPropertyName: property,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req, res) => keyOf(req, res) === undefined,
    keyGenerator: (req, res) => keyOf(req, res) ?? '',
    handler: (req, res, next) => {
      const key = (req as AugmentedRequest)[property]?.key ?? '';
      const retryAfterS = store.retryAfterS(key);
      try {
        options.onLimited?.(kind);
      } catch {
        // A failing metrics hook must not turn a 429 into a 500.
      }
      res.setHeader('Retry-After', String(retryAfterS));
      next(new AppError('rate_limited', 'Too many requests; try again later.', { retryAfterS }));
    },
  });
}

/** Runs the per-IP limit first, so a flood from one address does not use up its tenant's budget. */
function inOrder(first: RequestHandler, second: RequestHandler): RequestHandler {
  return (req, res, next) => {
    void first(req, res, (error?: unknown) => {
      if (error !== undefined) next(error);
      else void second(req, res, next);
    });
  };
}

/** Per-IP and per-tenant request limits for minting sessions and for chat, each counted apart. */
export function createRateLimits(options: RateLimitOptions): RateLimits {
  const tenantOfMint: KeyOf = (req) => {
    try {
      return options.tenantOfMintRequest?.(req);
    } catch {
      // An unreadable body has no tenant; the route rejects it, the per-IP limit still counted it.
      return undefined;
    }
  };
  return {
    sessionMint: inOrder(
      limiter('session_ip', options.perIp, ipOf, options),
      limiter('session_tenant', options.perTenant, tenantOfMint, options),
    ),
    chat: inOrder(
      limiter('chat_ip', options.perIp, ipOf, options),
      limiter('chat_tenant', options.perTenant, tenantOfPrincipal, options),
    ),
  };
}
