import type { KeyStore } from './keyStore.js';
import { checkSubject, checkTtl, signPurposeToken, type MintedToken, type TokenSubject } from './purposeToken.js';

export type { MintedToken } from './purposeToken.js';

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

/** The pair of purpose tokens a session holds: stream for chat, manage for refresh and state. */
export async function mintSessionTokens(keys: KeyStore, subject: TokenSubject, options: MintOptions): Promise<SessionTokens> {
  checkSubject(subject);
  checkTtl('streamTtlS', options.streamTtlS);
  checkTtl('manageTtlS', options.manageTtlS);
  const [stream, manage] = await Promise.all([
    signPurposeToken(keys, subject, 'stream', options.issuer, options.streamTtlS, options.now),
    signPurposeToken(keys, subject, 'manage', options.issuer, options.manageTtlS, options.now),
  ]);
  return { stream, manage };
}
