import type { Request } from 'express';

/** Where a request came from, as the audit trail takes it (the address is hashed on record). */
export function auditOrigin(req: Request): { ip?: string; origin?: string } {
  const where: { ip?: string; origin?: string } = {};
  if (req.ip) where.ip = req.ip;
  const origin = req.get('origin');
  // Only a well-formed origin is kept; anything else would fail the entry's validation.
  if (origin !== undefined && isExactOrigin(origin)) where.origin = origin;
  return where;
}

function isExactOrigin(value: string): boolean {
  if (value.length > 255) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}
