import type { KeyStore } from './keyStore.js';
import { checkSubject, checkTtl, signPurposeToken, type MintedToken, type TokenSubject } from './purposeToken.js';

export interface HandleOptions {
  issuer: string;
  /** The manage token's lifetime: a handle outlives no token it can be exchanged for. */
  ttlS: number;
  /** Epoch milliseconds. */
  now: number;
}

/**
 * A session handle: what the host page keeps for a widget iframe that has no storage of its own.
 * It reads nothing and sends nothing; its only use is POST /v1/sessions/resume, from the BFF's own
 * origin, for a fresh token pair of the same session.
 */
export async function mintSessionHandle(keys: KeyStore, subject: TokenSubject, options: HandleOptions): Promise<MintedToken> {
  checkSubject(subject);
  checkTtl('ttlS', options.ttlS);
  return signPurposeToken(keys, subject, 'handle', options.issuer, options.ttlS, options.now);
}
