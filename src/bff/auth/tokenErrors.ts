import { errors } from 'jose';
import { AppError } from '../errors.js';

export type AuthFailureReason =
  | 'missing'
  | 'malformed'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_purpose'
  | 'bad_claims'
  | 'unknown_kid'
  | 'forbidden_header';

/** What a rejected token tells metrics and the audit trail; never the token itself. */
export interface AuthFailureEvent {
  reason: AuthFailureReason;
  /** Only when the signature was verified, so an attacker cannot plant ids in the audit trail. */
  tokenId?: string;
  tenantId?: string;
}

const REALM = 'picasso';

const MESSAGES: Partial<Record<AuthFailureReason, string>> = {
  missing: 'An access token is required.',
  expired: 'The access token has expired.',
  wrong_purpose: 'The access token was issued for another purpose.',
};

/**
 * Bearer challenge per RFC 6750 §3: no error code when no credentials were sent,
 * insufficient_scope for a genuine token of the wrong purpose, invalid_token otherwise.
 */
function challengeFor(reason: AuthFailureReason): string {
  if (reason === 'missing') return `Bearer realm="${REALM}"`;
  if (reason === 'wrong_purpose') return `Bearer realm="${REALM}", error="insufficient_scope"`;
  return `Bearer realm="${REALM}", error="invalid_token"`;
}

/** A token rejection: an AppError (401 invalid_token or 403 wrong_token_purpose) that also knows why. */
export class TokenError extends AppError {
  readonly reason: AuthFailureReason;
  readonly tokenId: string | undefined;
  readonly tenantId: string | undefined;

  constructor(reason: AuthFailureReason, verified: { tokenId?: string; tenantId?: string } = {}, cause?: unknown) {
    super(
      reason === 'wrong_purpose' ? 'wrong_token_purpose' : 'invalid_token',
      MESSAGES[reason] ?? 'The access token is invalid.',
      { headers: { 'WWW-Authenticate': challengeFor(reason) }, cause },
    );
    this.reason = reason;
    this.tokenId = verified.tokenId;
    this.tenantId = verified.tenantId;
  }

  event(): AuthFailureEvent {
    const event: AuthFailureEvent = { reason: this.reason };
    if (this.tokenId !== undefined) event.tokenId = this.tokenId;
    if (this.tenantId !== undefined) event.tenantId = this.tenantId;
    return event;
  }
}

const MAX_ID_LENGTH = 200;

function idClaim(payload: Record<string, unknown>, claim: string): string | undefined {
  const value = payload[claim];
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH ? value : undefined;
}

/** Ids from a claims set whose signature jose has already verified. */
export function verifiedIds(payload: Record<string, unknown>): { tokenId?: string; tenantId?: string } {
  const ids: { tokenId?: string; tenantId?: string } = {};
  const tokenId = idClaim(payload, 'jti');
  const tenantId = idClaim(payload, 'tid');
  if (tokenId !== undefined) ids.tokenId = tokenId;
  if (tenantId !== undefined) ids.tenantId = tenantId;
  return ids;
}

/**
 * Maps whatever verification threw to a TokenError. jose throws its own error classes for most
 * failures but plain TypeErrors for some key/algorithm mismatches, and WebCrypto may throw
 * DOMExceptions; none of them may surface as a 500.
 */
export function toTokenError(error: unknown): TokenError {
  if (error instanceof TokenError) return error;
  if (error instanceof errors.JWTExpired) return new TokenError('expired', verifiedIds(error.payload), error);
  if (error instanceof errors.JWTClaimValidationFailed) {
    const early = (error.claim === 'nbf' || error.claim === 'iat') && error.reason === 'check_failed';
    return new TokenError(early ? 'not_yet_valid' : 'bad_claims', verifiedIds(error.payload), error);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new TokenError('bad_signature', {}, error);
  if (error instanceof errors.JOSEAlgNotAllowed) return new TokenError('forbidden_header', {}, error);
  return new TokenError('malformed', {}, error);
}
