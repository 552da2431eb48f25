import type { Response } from 'express';
import { AppError } from '../errors.js';
import { TOKEN_PURPOSES, type AnyPurpose } from './tokenPolicy.js';

/** Who a verified token speaks for. The only source of tenant and session in a request. */
export interface Principal {
  tenantId: string;
  sessionId: string;
  tokenId: string;
  purpose: AnyPurpose;
  /** Epoch milliseconds. */
  expiresAt: number;
}

declare global {
  // Express's own extension point for typed res.locals; a namespace is the only way to reach it.
  namespace Express {
    interface Locals {
      principal?: Principal;
    }
  }
}

function isPrincipal(value: unknown): value is Principal {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.tenantId === 'string' &&
    typeof candidate.sessionId === 'string' &&
    typeof candidate.tokenId === 'string' &&
    TOKEN_PURPOSES.includes(candidate.purpose as AnyPurpose) &&
    typeof candidate.expiresAt === 'number'
  );
}

/**
 * The principal that requireToken stored for this request. res.locals is typed loosely by
 * Express, so routes read it through here; a route mounted without its token check fails loudly
 * instead of running without a tenant.
 */
export function principalOf(res: Response): Principal {
  const principal: unknown = res.locals.principal;
  if (!isPrincipal(principal)) throw new AppError('internal_error', 'The request was not authenticated.');
  return principal;
}
