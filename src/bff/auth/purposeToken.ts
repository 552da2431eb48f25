import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { KeyStore } from './keyStore.js';
import { audienceFor, MAX_TOKEN_LIFETIME_S, TOKEN_TYP, type AnyPurpose } from './tokenPolicy.js';

export interface MintedToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Who a token speaks for; both come from server-side lookups, never from the client. */
export interface TokenSubject {
  tenantId: string;
  sessionId: string;
}

export function checkTtl(name: string, ttlS: number): void {
  if (!Number.isInteger(ttlS) || ttlS < 1 || ttlS > MAX_TOKEN_LIFETIME_S) {
    throw new RangeError(`${name} must be an integer in 1..${MAX_TOKEN_LIFETIME_S}`);
  }
}

export function checkSubject(subject: TokenSubject): void {
  if (subject.tenantId === '' || subject.sessionId === '') throw new TypeError('tenantId and sessionId must not be empty');
}

/** Signs one purpose token: the typ, audience and claims every verifier pins. */
export async function signPurposeToken(
  keys: KeyStore,
  subject: TokenSubject,
  purpose: AnyPurpose,
  issuer: string,
  ttlS: number,
  now: number,
): Promise<MintedToken> {
  const signer = keys.signer();
  const issuedAt = Math.floor(now / 1000);
  const expiresAtS = issuedAt + ttlS;
  const token = await new SignJWT({ tid: subject.tenantId, pur: purpose })
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: TOKEN_TYP[purpose] })
    .setIssuer(issuer)
    .setAudience(audienceFor(issuer, purpose))
    .setSubject(subject.sessionId)
    .setJti(randomBytes(16).toString('base64url'))
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(expiresAtS)
    .sign(signer.key);
  return { token, expiresAt: expiresAtS * 1000 };
}
