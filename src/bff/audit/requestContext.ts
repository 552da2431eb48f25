import type { Request } from 'express';

/** Where a request came from, as the audit trail takes it (the address is hashed on record). */
export function auditOrigin(req: Request): { ip?: string; origin?: string } {
  const where: { ip?: string; origin?: string } = {};
  if (req.ip) where.ip = req.ip;
  const origin = exactOrigin(req.get('origin'));
  if (origin !== undefined) where.origin = origin;
  return where;
}

/**
 * The value if it is an exact web origin (scheme, host, port), else undefined: an Origin header
 * is client input, and anything else would fail the audit entry's validation.
 */
export function exactOrigin(value: string | undefined): string | undefined {
  if (value === undefined || value.length > 255) return undefined;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value ? value : undefined;
  } catch {
    return undefined;
  }
}
