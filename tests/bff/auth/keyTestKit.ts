import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { base64url, type JWTPayload } from 'jose';
import { createKeyStore, type KeyStore, type KeyStoreOptions } from '../../../src/bff/auth/keyStore.js';

export const ISSUER = 'https://bff.example';
export const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

/** A clock the test moves by hand. */
export function manualClock(start = T0): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}

export async function tempDataDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'picasso-keys-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function devKeyStore(dataDir: string, options: Partial<KeyStoreOptions> = {}): Promise<KeyStore> {
  return createKeyStore({ dataDir, production: false, ...options });
}

/** Claims a genuine stream token would carry at `nowMs`. */
export function streamClaims(nowMs: number, overrides: JWTPayload = {}): JWTPayload {
  const iat = Math.floor(nowMs / 1000);
  return {
    iss: ISSUER,
    aud: `${ISSUER}/v1`,
    sub: 'session-1',
    tid: 'acme',
    pur: 'stream',
    jti: 'token-1',
    iat,
    nbf: iat,
    exp: iat + 300,
    ...overrides,
  };
}

/**
 * Signs any header and claims with the store's real signing key, straight through WebCrypto, to
 * build tokens that neither the minting code nor jose's signer would produce (crit, b64, ...).
 */
export async function signWithStoreKey(
  keys: KeyStore,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  const signer = keys.signer();
  const part = (value: object) => base64url.encode(JSON.stringify(value));
  const input = `${part({ alg: 'ES256', kid: signer.kid, typ: 'picasso-stream+jwt', ...header })}.${part(claims)}`;
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    signer.key,
    new TextEncoder().encode(input),
  );
  return `${input}.${base64url.encode(new Uint8Array(signature))}`;
}

export function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(base64url.decode(part))) as Record<string, unknown>;
}
