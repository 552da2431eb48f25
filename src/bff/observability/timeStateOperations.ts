import type { RequestHandler } from 'express';
import type { Metrics } from './metrics.js';

function operationOf(method: string, path: string): 'retrieve' | 'clear' | undefined {
  if (method === 'GET' && path === '/v1/state') return 'retrieve';
  if (method === 'POST' && path === '/v1/state/clear') return 'clear';
  return undefined;
}

/** Times the state routes from arrival to the last byte, so the clear SLA covers its audit write. */
export function timeStateOperations(metrics: Pick<Metrics, 'stateOperation'>, now: () => bigint = process.hrtime.bigint): RequestHandler {
  return (req, res, next) => {
    const operation = operationOf(req.method, req.path);
    if (operation === undefined) {
      next();
      return;
    }
    const started = now();
    res.once('finish', () => {
      const outcome = res.statusCode < 400 ? 'ok' : res.statusCode < 500 ? 'rejected' : 'failed';
      metrics.stateOperation.observe({ operation, outcome }, Number(now() - started) / 1e9);
    });
    next();
  };
}
