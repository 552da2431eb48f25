import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, isAppError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/** body-parser reports its failures with `type` and `status`; map them onto our codes. */
function fromBodyParser(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (!('type' in error)) return fromHttpStatus(error);
  switch ((error as { type: unknown }).type) {
    case 'entity.parse.failed':
      return new AppError('invalid_json', 'The request body is not valid JSON');
    case 'entity.too.large':
      return new AppError('payload_too_large', 'The request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'Unsupported body encoding');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new AppError('bad_request', 'The request body could not be read');
    default:
      return fromHttpStatus(error);
  }
}

/** Errors raised by express itself (static files, routing) carry a 4xx `status`. */
function fromHttpStatus(error: object): AppError | undefined {
  const status = 'status' in error ? Number((error as { status: unknown }).status) : NaN;
  if (status === 404) return new AppError('not_found', 'Not found');
  if (status >= 400 && status < 500) return new AppError('bad_request', 'The request could not be processed');
  return undefined;
}

export function errorMiddleware(log: Logger, metrics: Metrics): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const appError = isAppError(error) ? error : (fromBodyParser(error) ?? new AppError('internal_error', 'Something went wrong'));
    if (appError.status >= 500) {
      // The cause may describe infrastructure; never the request body.
      log.error({ code: appError.code, path: req.path, err: appError.cause ?? error }, 'request failed');
    }
    metrics.httpErrors.inc({ code: appError.code });
    // Errors can come from routes outside the API (the widget document): harden them all alike.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    if (appError.retryAfterS !== undefined) res.setHeader('Retry-After', String(appError.retryAfterS));
    for (const [name, value] of Object.entries(appError.headers)) res.setHeader(name, value);
    res.status(appError.status).json(appError.toJSON());
  };
}

export const notFound: RequestHandler = (_req, _res, next) => {
  next(new AppError('not_found', 'No such endpoint'));
};
