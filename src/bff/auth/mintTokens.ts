import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { KeyStore } from './keyStore.js';
import { audienceFor, MAX_TOKEN_LIFETIME_S, TOKEN_TYP, type TokenPurpose } from './tokenPolicy.js';

export interface MintedToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface SessionTokens {
  stream: MintedToken;
  manage: MintedToken;
}

export interface MintOptions {
  issuer: string;
  streamTtlS: number;
  manageTtlS: number;
  /** Epoch milliseconds. */
  now: number;
}

interface Subject {
  tenantId: string;
  sessionId: string;
}

function checkTtl(name: string, ttlS: number): void {
  if (!Number.isInteger(ttlS) || ttlS < 1 || ttlS > MAX_TOKEN_LIFETIME_S) {
    throw new RangeError(`${name} must be an integer in 1..${MAX_TOKEN_LIFETIME_S}`);
  }
}

async function mintToken(keys: KeyStore, subject: Subject, purpose: TokenPurpose, issuer: string, ttlS: number, now: number): Promise<MintedToken> {
  const signer = keys.signer();
  const issuedAt = Math.floor(now / 1000);
  const expiresAtS = issuedAt + ttlS;
  const token = await new SignJWT({ tid: subject.tenantId, pur: purpose })
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: TOKEN_TYP[purpose] })
    .setIssuer(issuer)
    .setAudience(audienceFor(issuer))
    .setSubject(subject.sessionId)
    .setJti(randomBytes(16).toString('base64url'))
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(expiresAtS)
    .sign(signer.key);
  return { token, expiresAt: expiresAtS * 1000 };
}

/** The pair of purpose tokens a session holds: stream for chat, manage for refresh and state. */
export async function mintSessionTokens(keys: KeyStore, subject: Subject, options: MintOptions): Promise<SessionTokens> {
  if (subject.tenantId === '' || subject.sessionId === '') throw new TypeError('tenantId and sessionId must not be empty');
  checkTtl('streamTtlS', options.streamTtlS);
  checkTtl('manageTtlS', options.manageTtlS);
  const [stream, manage] = await Promise.all([
    mintToken(keys, subject, 'stream', options.issuer, options.streamTtlS, options.now),
    mintToken(keys, subject, 'manage', options.issuer, options.manageTtlS, options.now),
  ]);
  return { stream, manage };
}
