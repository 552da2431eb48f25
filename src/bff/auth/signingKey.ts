import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { TOKEN_ALG } from './tokenPolicy.js';

/** A P-256 private key as a JWK: the form keys take in files and in SIGNING_KEYS. */
export interface PrivateEcJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  d: string;
}

/** A key ready for use: the private half signs, the public half verifies and is published. */
export interface SigningKey {
  kid: string;
  signingKey: CryptoKey;
  verifyKey: CryptoKey;
  publicJwk: JWK;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

export function isPrivateEcJwk(value: unknown): value is PrivateEcJwk {
  if (typeof value !== 'object' || value === null) return false;
  const jwk = value as Record<string, unknown>;
  return (
    jwk.kty === 'EC' &&
    jwk.crv === 'P-256' &&
    [jwk.x, jwk.y, jwk.d].every((part) => typeof part === 'string' && B64URL.test(part))
  );
}

type PublicEcJwk = Omit<PrivateEcJwk, 'd'>;

function publicPart(jwk: PrivateEcJwk): PublicEcJwk {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}

async function importAs(jwk: JWK): Promise<CryptoKey> {
  const key = await importJWK(jwk, TOKEN_ALG);
  if (key instanceof Uint8Array) throw new TypeError('expected an asymmetric key');
  return key;
}

/**
 * Imports a private JWK. The public half is rebuilt from x/y only (never by copying the JWK), so
 * nothing secret can reach the published key set; a sign/verify round trip proves the two halves
 * belong together, so a mismatched configuration fails at start, not on the first request.
 */
export async function importSigningKey(kid: string, jwk: PrivateEcJwk): Promise<SigningKey> {
  const pub = publicPart(jwk);
  const signingKey = await importAs({ ...pub, d: jwk.d });
  const verifyKey = await importAs(pub);
  const probe = new TextEncoder().encode(`probe:${kid}`);
  const ecdsa = { name: 'ECDSA', hash: 'SHA-256' };
  const signature = await crypto.subtle.sign(ecdsa, signingKey, probe);
  if (!(await crypto.subtle.verify(ecdsa, verifyKey, signature, probe))) {
    throw new TypeError('the private and public halves do not match');
  }
  return { kid, signingKey, verifyKey, publicJwk: { ...pub, kid, alg: TOKEN_ALG, use: 'sig' } };
}

/** A fresh key pair with its RFC 7638 thumbprint as kid. */
export async function generateSigningJwk(): Promise<{ kid: string; jwk: PrivateEcJwk }> {
  const { privateKey } = await generateKeyPair(TOKEN_ALG, { extractable: true });
  const exported = await exportJWK(privateKey);
  if (!isPrivateEcJwk(exported)) throw new TypeError('generated key is not a P-256 private JWK');
  const jwk: PrivateEcJwk = { kty: 'EC', crv: 'P-256', x: exported.x, y: exported.y, d: exported.d };
  return { kid: await calculateJwkThumbprint(publicPart(jwk)), jwk };
}
