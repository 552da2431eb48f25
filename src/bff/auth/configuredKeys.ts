import { ConfigError } from '../config/loadConfig.js';
import { importSigningKey, isPrivateEcJwk, type PrivateEcJwk, type SigningKey } from './signingKey.js';
import { TOKEN_ALG } from './tokenPolicy.js';

const KID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Error texts name the variable and the entry, never the key material. */
function invalid(detail: string): ConfigError {
  return new ConfigError(`SIGNING_KEYS: ${detail}`);
}

function entryKid(entry: unknown, index: number): string {
  const kid = typeof entry === 'object' && entry !== null ? (entry as { kid?: unknown }).kid : undefined;
  if (typeof kid !== 'string' || !KID.test(kid)) {
    throw invalid(`entry ${index} needs a "kid" of 1..128 characters [A-Za-z0-9._:-]`);
  }
  return kid;
}

function checkEntry(entry: unknown, index: number, kid: string): asserts entry is PrivateEcJwk {
  const fields = entry as { alg?: unknown; use?: unknown };
  if (!isPrivateEcJwk(entry)) throw invalid(`entry ${index} (kid "${kid}") is not a private EC P-256 JWK`);
  if (fields.alg !== undefined && fields.alg !== TOKEN_ALG) throw invalid(`entry ${index} (kid "${kid}") has alg other than ${TOKEN_ALG}`);
  if (fields.use !== undefined && fields.use !== 'sig') throw invalid(`entry ${index} (kid "${kid}") has use other than "sig"`);
}

/**
 * Parses SIGNING_KEYS: a JSON array of private ES256 JWKs, each with a kid. The first entry signs;
 * every entry verifies. Any fault stops the process at start.
 */
export async function loadConfiguredKeys(json: string): Promise<SigningKey[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw invalid('is not valid JSON');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw invalid('must be a non-empty JSON array of private JWKs');
  const seen = new Set<string>();
  const keys: SigningKey[] = [];
  for (const [index, entry] of parsed.entries()) {
    const kid = entryKid(entry, index);
    if (seen.has(kid)) throw invalid(`kid "${kid}" appears twice`);
    seen.add(kid);
    checkEntry(entry, index, kid);
    try {
      keys.push(await importSigningKey(kid, entry));
    } catch {
      throw invalid(`entry ${index} (kid "${kid}") is not a usable P-256 private key`);
    }
  }
  return keys;
}
