import type { Request } from 'express';
import type { z } from 'zod';
import { AppError } from '../errors.js';

/** Requires a JSON body; browsers and tools that send forms or text get a clear 415. */
export function requireJson(req: Request): void {
  if (!req.is('application/json')) {
    throw new AppError('unsupported_media_type', 'Send the body as application/json');
  }
}

/** Parses a request body with its schema once, at the edge. */
export function parseBody<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  requireJson(req);
  const result = schema.safeParse(req.body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new AppError('validation_failed', `${where}${issue?.message ?? 'invalid body'}`);
  }
  return result.data;
}
