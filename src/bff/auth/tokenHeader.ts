import { decodeProtectedHeader } from 'jose';
import { TokenError } from './tokenErrors.js';
import { ALLOWED_HEADER_PARAMS, MAX_TOKEN_LENGTH, TOKEN_ALG } from './tokenPolicy.js';

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Checks the shape and the protected header before any key is touched, and returns the kid.
 * Only alg, kid and typ may appear: a header that points at keys elsewhere (jku, x5u), carries
 * its own key (jwk, x5c) or demands extensions (crit, b64) is refused outright, so verification
 * can never be steered to a key of the sender's choosing or to the network.
 */
export function inspectTokenHeader(token: string): { kid: string } {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw new TokenError('malformed');
  const segments = token.split('.');
  if (segments.length !== 3) throw new TokenError('malformed');
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
  } catch (error) {
    throw new TokenError('malformed', {}, error);
  }
  if (Object.keys(header).some((name) => !ALLOWED_HEADER_PARAMS.has(name))) throw new TokenError('forbidden_header');
  if (header.alg !== TOKEN_ALG) throw new TokenError('forbidden_header');
  if (!segments.every((segment) => SEGMENT.test(segment))) throw new TokenError('malformed');
  if (typeof header.kid !== 'string') throw new TokenError('unknown_kid');
  return { kid: header.kid };
}
