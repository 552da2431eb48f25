import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors.js';

// scheme "://" host [":" port] and nothing else: the serialisation browsers send (RFC 6454 §6.2).
const ORIGIN_SHAPE = /^https?:\/\/[^/?#@\\\s]+$/i;
// After URL parsing (lower case, punycode): DNS labels or a bracketed IPv6 address. The URL parser
// accepts more (e.g. "*"), which would turn into a wildcard in a CSP source list.
const HOST_SHAPE = /^(?:\[[0-9a-f:.]+\]|[a-z0-9-]+(?:\.[a-z0-9-]+)*)$/;

/**
 * The canonical form of an origin (lower-case scheme and host, default port dropped), or undefined
 * if the value is not an http(s) origin. A path, even a lone "/", a query, credentials or the
 * opaque origin "null" make it undefined.
 */
export function canonicalOrigin(value: string): string | undefined {
  if (!ORIGIN_SHAPE.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!HOST_SHAPE.test(url.hostname)) return undefined;
  return url.origin;
}

/** Allow-list entries from configuration may carry one trailing slash; requests may not. */
function canonicalAllowed(entry: string): string | undefined {
  return canonicalOrigin(entry.endsWith('/') ? entry.slice(0, -1) : entry);
}

// Keyed by list identity: allow-lists come from configuration and are never mutated in place.
const canonicalLists = new WeakMap<readonly string[], ReadonlySet<string>>();

function canonicalSet(allowed: readonly string[]): ReadonlySet<string> {
  let set = canonicalLists.get(allowed);
  if (set === undefined) {
    set = new Set(allowed.flatMap((entry) => canonicalAllowed(entry) ?? []));
    canonicalLists.set(allowed, set);
  }
  return set;
}

/**
 * Whether a request's Origin is the service's own or one of the allowed origins. Both sides are
 * parsed and compared whole (scheme, host, port), never by prefix, suffix or pattern, so
 * https://acme.example.evil.com and https://evil-acme.example do not pass for https://acme.example.
 */
export function isOriginAllowed(origin: string | undefined, allowed: readonly string[], ownOrigin: string): boolean {
  if (origin === undefined) return false;
  const candidate = canonicalOrigin(origin);
  if (candidate === undefined) return false;
  return candidate === canonicalAllowed(ownOrigin) || canonicalSet(allowed).has(candidate);
}

const PREFLIGHT_MAX_AGE_S = 600;

/**
 * CORS for the API. An allowed origin gets Access-Control-Allow-Origin echoing exactly that
 * origin; others get no CORS headers, so the browser withholds the response. Credentials are never
 * allowed: tokens travel in the Authorization header, not in cookies. A preflight from an origin
 * that is not allowed is answered 403 origin_not_allowed.
 */
export function corsFor(resolveAllowed: (req: Request) => readonly string[] | undefined, ownOrigin: string): RequestHandler {
  return (req, res, next) => {
    res.vary('Origin');
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (origin === undefined) {
      next();
      return;
    }
    if (!isOriginAllowed(origin, resolveAllowed(req) ?? [], ownOrigin)) {
      if (preflight) next(new AppError('origin_not_allowed', 'This origin may not call this API.'));
      else next();
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    if (!preflight) {
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
      next();
      return;
    }
    res.vary('Access-Control-Request-Headers');
    res.setHeader('Access-Control-Allow-Methods', 'POST, GET');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Last-Event-ID');
    res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S));
    res.status(204).end();
  };
}
