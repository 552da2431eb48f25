import { errors, jwtVerify, type JWTPayload, type JWTVerifyOptions } from 'jose';
import type { KeyStore } from './keyStore.js';
import type { Principal } from './principal.js';
import { TokenError, toTokenError, verifiedIds } from './tokenErrors.js';
import { inspectTokenHeader } from './tokenHeader.js';
import {
  audienceFor,
  CLOCK_TOLERANCE_S,
  MAX_TOKEN_LIFETIME_S,
  otherPurposes,
  TOKEN_ALG,
  TOKEN_TYP,
  type AnyPurpose,
} from './tokenPolicy.js';

export interface VerifyOptions {
  issuer: string;
  /** Epoch milliseconds. */
  now: number;
}

function pinnedOptions(purpose: AnyPurpose, options: VerifyOptions): JWTVerifyOptions {
  return {
    algorithms: [TOKEN_ALG],
    issuer: options.issuer,
    audience: audienceFor(options.issuer, purpose),
    typ: TOKEN_TYP[purpose],
    requiredClaims: ['exp', 'iat', 'nbf', 'jti', 'sub', 'tid', 'pur'],
    maxTokenAge: MAX_TOKEN_LIFETIME_S,
    clockTolerance: CLOCK_TOLERANCE_S,
    currentDate: new Date(options.now),
  };
}

function isTypMismatch(error: unknown): boolean {
  return error instanceof errors.JWTClaimValidationFailed && error.claim === 'typ';
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** typ and pur must agree: a token whose header and claims name different purposes was not minted here. */
function principalFrom(payload: JWTPayload, typPurpose: AnyPurpose): Principal {
  const { sub, jti, exp, tid, pur } = payload;
  if (pur !== typPurpose || !nonEmptyString(sub) || !nonEmptyString(jti) || !nonEmptyString(tid) || typeof exp !== 'number') {
    throw new TokenError('bad_claims', verifiedIds(payload));
  }
  return { tenantId: tid, sessionId: sub, tokenId: jti, purpose: typPurpose, expiresAt: exp * 1000 };
}

/**
 * A typ mismatch is reported as wrong_purpose (403) only if the token is fully valid as another
 * purpose; anything else about it (expired, forged, ...) stays a 401.
 */
async function rejectOtherPurpose(key: CryptoKey, token: string, purpose: AnyPurpose, options: VerifyOptions): Promise<never> {
  for (const actual of otherPurposes(purpose)) {
    let principal: Principal;
    try {
      const { payload } = await jwtVerify(token, key, pinnedOptions(actual, options));
      principal = principalFrom(payload, actual);
    } catch (error) {
      if (isTypMismatch(error)) continue;
      throw toTokenError(error);
    }
    throw new TokenError('wrong_purpose', { tokenId: principal.tokenId, tenantId: principal.tenantId });
  }
  throw new TokenError('bad_claims');
}

/** Verifies a purpose token; every failure is a TokenError (an AppError: 401, or 403 for the wrong purpose). */
export async function verifyToken(keys: KeyStore, token: string, purpose: AnyPurpose, options: VerifyOptions): Promise<Principal> {
  try {
    const { kid } = inspectTokenHeader(token);
    const key = keys.verifierFor(kid);
    if (key === undefined) throw new TokenError('unknown_kid');
    try {
      const { payload } = await jwtVerify(token, key, pinnedOptions(purpose, options));
      return principalFrom(payload, purpose);
    } catch (error) {
      if (isTypMismatch(error)) return await rejectOtherPurpose(key, token, purpose, options);
      throw error;
    }
  } catch (error) {
    throw toTokenError(error);
  }
}
