import { randomBytes } from 'node:crypto';
import { base64url, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { audienceFor, TOKEN_TYP, type TokenPurpose } from '../../src/bff/auth/tokenPolicy.js';

/** Who a token claims to speak for, and who claims to have issued it. */
export interface TokenSubject {
  issuer: string;
  tenantId: string;
  sessionId: string;
  purpose: TokenPurpose;
}

/** A header or claim override; `undefined` leaves the parameter out altogether. */
export type Overrides = Record<string, unknown>;

export interface ForgeOptions {
  /** Epoch milliseconds the claims are computed from; defaults to now. */
  nowMs?: number;
  header?: Overrides;
  claims?: Overrides;
}

function applyOverrides(base: Overrides, overrides: Overrides = {}): Overrides {
  const merged: Overrides = { ...base, ...overrides };
  for (const [name, value] of Object.entries(overrides)) if (value === undefined) delete merged[name];
  return merged;
}

/** Exactly the claims a token minted by the BFF carries at `nowMs`. */
export function genuineClaims(subject: TokenSubject, nowMs = Date.now()): JWTPayload {
  const iat = Math.floor(nowMs / 1000);
  return {
    iss: subject.issuer,
    aud: audienceFor(subject.issuer),
    sub: subject.sessionId,
    tid: subject.tenantId,
    pur: subject.purpose,
    jti: randomBytes(16).toString('base64url'),
    iat,
    nbf: iat,
    exp: iat + 300,
  };
}

/** Exactly the protected header a token minted by the BFF carries. */
export function genuineHeader(kid: string, purpose: TokenPurpose): Overrides {
  return { alg: 'ES256', kid, typ: TOKEN_TYP[purpose] };
}

/**
 * Signs a token with jose's SignJWT: a genuine header and genuine claims with only the overridden
 * parameters changed, so a test proves the verifier refuses exactly that one property.
 * `key` is an ES256 private key (the stack's own, or another), or HMAC secret bytes with alg HS256.
 */
export async function forgeToken(
  signer: { kid: string; key: CryptoKey | Uint8Array },
  subject: TokenSubject,
  options: ForgeOptions = {},
): Promise<string> {
  const header = applyOverrides(genuineHeader(signer.kid, subject.purpose), options.header);
  const claims = applyOverrides(genuineClaims(subject, options.nowMs), options.claims);
  return new SignJWT(claims as JWTPayload).setProtectedHeader(header as { alg: string }).sign(signer.key);
}

/** An `alg: none` token: header and claims as given, and an empty signature. */
export function unsecuredToken(header: Overrides, claims: Overrides): string {
  const part = (value: object) => base64url.encode(JSON.stringify(value));
  return `${part(header)}.${part(claims)}.`;
}

/** Replaces claims in a signed token's payload and keeps its original signature. */
export function tamperClaims(token: string, overrides: Overrides): string {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) throw new TypeError('not a compact JWS');
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as Overrides;
  return `${header}.${base64url.encode(JSON.stringify(applyOverrides(claims, overrides)))}.${signature}`;
}

/** Decodes the claims of a compact JWS without verifying it. */
export function claimsOf(token: string): Overrides {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new TypeError('not a compact JWS');
  return JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as Overrides;
}

/** A fresh ES256 key pair that the BFF has never seen: an attacker's key. */
export async function attackerKeyPair(): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> {
  return generateKeyPair('ES256', { extractable: true });
}
