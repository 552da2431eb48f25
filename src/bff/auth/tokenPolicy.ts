/**
 * The fixed rules every purpose token follows. Minting and verification both read them from here,
 * so the two sides cannot drift apart.
 */
/** The API tokens a session holds: stream for chat; manage for refresh, state and clear. */
export type TokenPurpose = 'stream' | 'manage';

/**
 * Every purpose this service signs for: the API tokens, and the session handle that a host page
 * keeps for a widget iframe without storage of its own, good only for POST /v1/sessions/resume.
 */
export type AnyPurpose = TokenPurpose | 'handle';

export const TOKEN_PURPOSES: readonly AnyPurpose[] = ['stream', 'manage', 'handle'];

/** ES256: verifiable by every JOSE library and WebCrypto runtime; see docs/security.md. */
export const TOKEN_ALG = 'ES256';

/**
 * A distinct media type per purpose (RFC 8725 §3.11), so a token minted for one endpoint family is
 * refused by the other before any claim is trusted.
 */
export const TOKEN_TYP: Readonly<Record<AnyPurpose, string>> = {
  stream: 'picasso-stream+jwt',
  manage: 'picasso-manage+jwt',
  handle: 'picasso-handle+jwt',
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

/**
 * The API tokens share one audience; a session handle has its own (the one endpoint it opens), so
 * even a verifier that forgot to pin typ would not take a handle for an API token or the reverse.
 */
export function audienceFor(issuer: string, purpose: AnyPurpose = 'stream'): string {
  return purpose === 'handle' ? `${issuer}/v1/sessions/resume` : `${issuer}/v1`;
}

/** A purpose other than this one (for tests and error paths that need just one). */
export function otherPurpose(purpose: TokenPurpose): TokenPurpose {
  return purpose === 'stream' ? 'manage' : 'stream';
}

export function otherPurposes(purpose: AnyPurpose): AnyPurpose[] {
  return TOKEN_PURPOSES.filter((candidate) => candidate !== purpose);
}
