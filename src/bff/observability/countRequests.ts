import type { RequestHandler } from 'express';
import type { Metrics } from './metrics.js';

/** Counts every finished response by status class; aborted streams count with the status they sent. */
export function countRequests(metrics: Pick<Metrics, 'httpRequests'>): RequestHandler {
  return (_req, res, next) => {
    res.once('close', () => metrics.httpRequests.inc({ status_class: `${Math.floor(res.statusCode / 100)}xx` }));
    next();
  };
}
