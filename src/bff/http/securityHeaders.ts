import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { canonicalOrigin } from './origins.js';

export interface SecurityHeaderOptions {
  /** HSTS is sent only in production: on http://localhost it would pin the browser to https. */
  production?: boolean;
}

const HSTS = { maxAge: 63_072_000, includeSubDomains: true };

/** Headers every response shares, whatever it carries. */
function baseline(options: SecurityHeaderOptions) {
  return {
    strictTransportSecurity: options.production === true ? HSTS : false,
    referrerPolicy: { policy: 'no-referrer' as const },
    xContentTypeOptions: true,
    xPoweredBy: true,
    xDnsPrefetchControl: { allow: false },
    originAgentCluster: true,
    xPermittedCrossDomainPolicies: true,
    xDownloadOptions: true,
    xXssProtection: true,
    crossOriginEmbedderPolicy: false,
  };
}

/**
 * For JSON, SSE and JWKS responses: nothing in them may run, render or be framed, and no cache
 * may keep them (they carry conversations and tokens).
 */
export function apiSecurityHeaders(options: SecurityHeaderOptions = {}): RequestHandler {
  const headers = helmet({
    ...baseline(options),
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    xFrameOptions: { action: 'deny' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  return (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    headers(req, res, next);
  };
}

type FrameAncestors = readonly string[] | ((req: IncomingMessage, res: ServerResponse) => readonly string[]);

/**
 * Only exact origins reach the policy: an entry that is not a plain http(s) origin (a wildcard, a
 * path, a stray ";") is dropped rather than widening or breaking the header.
 */
export function frameAncestorsSource(origins: readonly string[]): string {
  const exact = [...new Set(origins.flatMap((origin) => canonicalOrigin(origin.replace(/\/$/, '')) ?? []))];
  return exact.length === 0 ? "'none'" : exact.join(' ');
}

const widgetMiddlewares = new Map<string, RequestHandler>();
const WIDGET_CACHE_LIMIT = 256;

/**
 * For the iframe document. It must be framable by the tenant's own sites and nothing else, so
 * framing is governed by CSP frame-ancestors alone: X-Frame-Options cannot name origins, and
 * browsers that know both ignore it when frame-ancestors is present, so it is left out.
 * Accepts the origins, or a resolver run per request. Middlewares for fixed lists are cached, so
 * calling this per request with a tenant's list costs a map lookup.
 */
export function widgetSecurityHeaders(frameAncestors: FrameAncestors, options: SecurityHeaderOptions = {}): RequestHandler {
  if (typeof frameAncestors === 'function') {
    return buildWidgetHeaders((req, res) => frameAncestorsSource(frameAncestors(req, res)), options);
  }
  const source = frameAncestorsSource(frameAncestors);
  const cacheKey = `${options.production === true ? 'prod' : 'dev'} ${source}`;
  let middleware = widgetMiddlewares.get(cacheKey);
  if (middleware === undefined) {
    if (widgetMiddlewares.size >= WIDGET_CACHE_LIMIT) widgetMiddlewares.clear();
    middleware = buildWidgetHeaders(source, options);
    widgetMiddlewares.set(cacheKey, middleware);
  }
  return middleware;
}

function buildWidgetHeaders(
  ancestors: string | ((req: IncomingMessage, res: ServerResponse) => string),
  options: SecurityHeaderOptions,
): RequestHandler {
  const headers = helmet({
    ...baseline(options),
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        connectSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: [ancestors],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    xFrameOptions: false,
    // Opener isolation is meaningless inside a frame; cross-origin lets embedders that require CORP load it.
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  return (req, res, next) => {
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
    headers(req, res, next);
  };
}
