import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from './logger.js';
import { requestScope } from './requestContext.js';

/** A caller's id is kept only if it cannot smuggle anything into logs or headers. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** Paths only: query strings may hold tokens or embed keys. */
export function pathOnly(url: string | undefined): string {
  if (url === undefined) return '';
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

interface SerializedRequestShape {
  id?: unknown;
  method?: string;
  url?: string;
}

/**
 * One completion line per request (method, path, status, duration, id), the id echoed as
 * `X-Request-Id`, and the id on every other line logged while the request is served. Bodies,
 * headers and query strings are never logged.
 */
export function requestLogging(log: Logger): RequestHandler {
  const http = pinoHttp<IncomingMessage, ServerResponse>({
    logger: log,
    genReqId: (req, res) => {
      const id = requestIdOf(req.headers['x-request-id']);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'reqId', responseTime: 'durationMs' },
    serializers: {
      req: (req: SerializedRequestShape) => ({ method: req.method, path: pathOnly(req.url) }),
      res: (res: { statusCode?: number }) => ({ status: res.statusCode }),
      err: (err: { type?: string; name?: string }) => ({ type: err.type ?? err.name ?? 'Error' }),
    },
    customLogLevel: (_req, res, error) => (error !== undefined || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    // Probes and scrapes arrive every few seconds and say nothing about users.
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
    quietReqLogger: true,
  });
  return (req, res, next) => {
    http(req, res);
    requestScope.run({ reqId: String(req.id) }, next);
  };
}
