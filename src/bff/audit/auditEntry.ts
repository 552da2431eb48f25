import { z } from 'zod';

/** Events without a tenant (a garbage token, a sweep) are chained here; no tenant id can look like it. */
export const SYSTEM_PARTITION = '_system';

/** prevHash of the first entry of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

export const AUDIT_ACTIONS = [
  'session.mint',
  'session.refresh',
  'state.clear',
  'auth.failure',
  'origin.denied',
  'tenant.cross_attempt',
  'retention.sweep',
] as const;

/** `pending` is an intent written before an irreversible operation; its result follows as its own entry. */
export const AUDIT_OUTCOMES = ['pending', 'success', 'denied', 'failure'] as const;

/**
 * Reasons are codes from this fixed list, never free text, so an entry cannot carry a message,
 * a token or an identifier by way of its reason.
 */
export const AUDIT_REASONS = [
  'missing',
  'malformed',
  'bad_signature',
  'expired',
  'not_yet_valid',
  'wrong_purpose',
  'bad_claims',
  'unknown_kid',
  'forbidden_header',
  'origin_not_allowed',
  'tenant_mismatch',
  'tenant_disabled',
  'storage_unavailable',
  'turns_still_generating',
  'invalid_entry',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export type AuditReason = (typeof AUDIT_REASONS)[number];

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an opaque id of letters, digits, _ and -');
const tenantId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'a tenant id');
const countName = z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/, 'a camelCase count name');
const auditId = z.string().uuid();

const origin = z
  .string()
  .max(255)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
    } catch {
      return false;
    }
  }, 'an exact web origin');

const detail = z.strictObject({
  reason: z.enum(AUDIT_REASONS).optional(),
  counts: z.record(countName, z.number().int().nonnegative()).optional(),
  /** The entry this one completes, e.g. the outcome of a pending clear. */
  relatedAuditId: auditId.optional(),
});

export type AuditDetail = z.infer<typeof detail>;

/** What a caller records. `ip` is hashed before anything is stored; the raw address never is. */
export const auditEventSchema = z.strictObject({
  action: z.enum(AUDIT_ACTIONS),
  outcome: z.enum(AUDIT_OUTCOMES),
  tenantId: tenantId.optional(),
  sessionId: id.optional(),
  tokenId: id.optional(),
  ip: z.string().max(64).optional(),
  origin: origin.optional(),
  detail: detail.optional(),
});

export type AuditEvent = z.infer<typeof auditEventSchema>;

/** One stored entry: the item in the audit table, exactly what its hash covers (plus `hash`). */
export const storedAuditEntrySchema = z.strictObject({
  pk: z.string(),
  seq: z.number().int().positive(),
  v: z.literal(1),
  auditId,
  at: z.iso.datetime(),
  action: z.enum(AUDIT_ACTIONS),
  outcome: z.enum(AUDIT_OUTCOMES),
  tenantId: tenantId.optional(),
  sessionId: id.optional(),
  tokenId: id.optional(),
  ipHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  origin: origin.optional(),
  detail: detail.optional(),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

export type StoredAuditEntry = z.infer<typeof storedAuditEntrySchema>;

/** What `record` hands back: enough to cite the entry (auditId) and to anchor the chain (seq, hash). */
export interface AuditReceipt {
  auditId: string;
  partition: string;
  seq: number;
  hash: string;
  at: string;
}

export class InvalidAuditEntry extends Error {
  constructor(readonly fields: string[]) {
    super(`audit entry rejected: invalid ${fields.join(', ')}`);
    this.name = 'InvalidAuditEntry';
  }
}
