/**
 * The fixed rules every purpose token follows. Minting and verification both read them from here,
 * so the two sides cannot drift apart.
 */
export type TokenPurpose = 'stream' | 'manage';

export const TOKEN_PURPOSES: readonly TokenPurpose[] = ['stream', 'manage'];

/** ES256: verifiable by every JOSE library and WebCrypto runtime; see docs/security.md. */
export const TOKEN_ALG = 'ES256';

/**
 * A distinct media type per purpose (RFC 8725 §3.11), so a token minted for one endpoint family is
 * refused by the other before any claim is trusted.
 */
export const TOKEN_TYP: Readonly<Record<TokenPurpose, string>> = {
  stream: 'picasso-stream+jwt',
  manage: 'picasso-manage+jwt',
};

/** Upper bound of TOKEN_TTL_STREAM_S / TOKEN_TTL_MANAGE_S; also the verifier's max token age. */
export const MAX_TOKEN_LIFETIME_S = 900;

/** Tolerated clock skew between the process that minted a token and the one verifying it. */
export const CLOCK_TOLERANCE_S = 5;

/**
 * How long a key keeps verifying after it stopped signing: the last token it signed may live the
 * full lifetime, and a verifier may accept it for the tolerance on top.
 */
export const KEY_RETENTION_MS = (MAX_TOKEN_LIFETIME_S + CLOCK_TOLERANCE_S) * 1000;

/** Longer than any token this service mints, so nothing larger is worth parsing. */
export const MAX_TOKEN_LENGTH = 4096;

/** Header parameters our tokens carry; anything else (jku, x5u, jwk, x5c, crit, b64, ...) is refused. */
export const ALLOWED_HEADER_PARAMS: ReadonlySet<string> = new Set(['alg', 'kid', 'typ']);

export function audienceFor(issuer: string): string {
  return `${issuer}/v1`;
}

export function otherPurpose(purpose: TokenPurpose): TokenPurpose {
  return purpose === 'stream' ? 'manage' : 'stream';
}
