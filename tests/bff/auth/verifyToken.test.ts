import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KeyStore } from '../../../src/bff/auth/keyStore.js';
import { mintSessionTokens } from '../../../src/bff/auth/mintTokens.js';
import { TokenError } from '../../../src/bff/auth/tokenErrors.js';
import { verifyToken } from '../../../src/bff/auth/verifyToken.js';
import { isAppError } from '../../../src/bff/errors.js';
import { decodePart, devKeyStore, ISSUER, signWithStoreKey, streamClaims, T0, tempDataDir } from './keyTestKit.js';

let keys: KeyStore;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  const data = await tempDataDir();
  removeDir = data.remove;
  keys = await devKeyStore(data.dir, { clock: () => T0 });
});

afterAll(async () => {
  keys.close();
  await removeDir();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const verifyAt = (token: string, now = T0, purpose: 'stream' | 'manage' = 'stream') =>
  verifyToken(keys, token, purpose, { issuer: ISSUER, now });

/** Resolves to the rejection, failing the test if the token was accepted. */
async function rejection(promise: Promise<unknown>): Promise<TokenError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(TokenError);
  return outcome as TokenError;
}

async function expectInvalid(token: string, reason: TokenError['reason'], now = T0): Promise<void> {
  const error = await rejection(verifyAt(token, now));
  expect(isAppError(error)).toBe(true);
  expect(error.code).toBe('invalid_token');
  expect(error.status).toBe(401);
  expect(error.reason).toBe(reason);
}

const mint = (now = T0, issuer = ISSUER) =>
  mintSessionTokens(keys, { tenantId: 'acme', sessionId: 'session-1' }, { issuer, streamTtlS: 300, manageTtlS: 900, now });

function unsignedToken(header: object, payload: object, signature = ''): string {
  const part = (value: object) => base64url.encode(JSON.stringify(value));
  return `${part(header)}.${part(payload)}.${signature}`;
}

describe('verifyToken accepts', () => {
  it('a freshly minted token of the requested purpose and returns its principal', async () => {
    const tokens = await mint();
    const principal = await verifyAt(tokens.stream.token);
    expect(principal).toEqual({
      tenantId: 'acme',
      sessionId: 'session-1',
      tokenId: expect.any(String),
      purpose: 'stream',
      expiresAt: tokens.stream.expiresAt,
    });
    const manage = await verifyAt(tokens.manage.token, T0, 'manage');
    expect(manage.purpose).toBe('manage');
    expect(manage.tokenId).not.toBe(principal.tokenId);
  });

  it('a token up to the clock tolerance (5 s) past exp, and not at 5 s', async () => {
    const tokens = await mint();
    await expect(verifyAt(tokens.stream.token, tokens.stream.expiresAt + 4_000)).resolves.toMatchObject({ tenantId: 'acme' });
    await expectInvalid(tokens.stream.token, 'expired', tokens.stream.expiresAt + 5_000);
  });
});

describe('verifyToken rejects with 401 invalid_token', () => {
  it('an expired token', async () => {
    const tokens = await mint();
    await expectInvalid(tokens.stream.token, 'expired', T0 + 3_600_000);
  });

  it('a token whose nbf is in the future', async () => {
    const token = await signWithStoreKey(keys, streamClaims(T0, { nbf: Math.floor(T0 / 1000) + 60 }));
    await expectInvalid(token, 'not_yet_valid');
  });

  it('a token verified by a clock running well behind the minting clock', async () => {
    const tokens = await mint();
    await expectInvalid(tokens.stream.token, 'not_yet_valid', T0 - 30_000);
  });

  it('a token issued in the future (iat ahead of now beyond tolerance)', async () => {
    const iat = Math.floor(T0 / 1000) + 60;
    const token = await signWithStoreKey(keys, streamClaims(T0, { iat, nbf: iat - 120 }));
    await expectInvalid(token, 'not_yet_valid');
  });

  it('a token claiming a lifetime beyond 900 s once 900 s have passed since iat', async () => {
    const token = await signWithStoreKey(keys, streamClaims(T0, { exp: Math.floor(T0 / 1000) + 86_400 }));
    await expect(verifyAt(token, T0 + 600_000)).resolves.toMatchObject({ tenantId: 'acme' });
    await expectInvalid(token, 'expired', T0 + 1_000_000);
  });

  it.each(['exp', 'iat', 'nbf', 'jti', 'sub', 'tid', 'pur', 'iss', 'aud'])('a validly signed token without %s', async (claim) => {
    const token = await signWithStoreKey(keys, streamClaims(T0, { [claim]: undefined }));
    await expectInvalid(token, 'bad_claims');
  });

  it.each<[string, Record<string, unknown>]>([
    ['an empty tid', { tid: '' }],
    ['a numeric tid', { tid: 42 }],
    ['a numeric sub', { sub: 7 }],
    ['a string exp', { exp: String(Math.floor(T0 / 1000) + 300) }],
  ])('a validly signed token with %s', async (_label, overrides) => {
    const token = await signWithStoreKey(keys, streamClaims(T0, overrides));
    await expectInvalid(token, 'bad_claims');
  });

  it('a token from another issuer', async () => {
    const tokens = await mint(T0, 'https://evil.example');
    await expectInvalid(tokens.stream.token, 'bad_claims');
  });

  it('a token for another audience', async () => {
    const token = await signWithStoreKey(keys, streamClaims(T0, { aud: `${ISSUER}/admin` }));
    await expectInvalid(token, 'bad_claims');
  });

  it('a token whose payload was altered after signing', async () => {
    const tokens = await mint();
    const [header, payload, signature] = tokens.stream.token.split('.') as [string, string, string];
    const claims = decodePart(payload);
    const forged = base64url.encode(JSON.stringify({ ...claims, tid: 'other-tenant' }));
    await expectInvalid(`${header}.${forged}.${signature}`, 'bad_signature');
  });

  it('a token signed by another key under our kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT(streamClaims(T0))
      .setProtectedHeader({ alg: 'ES256', kid: keys.signer().kid, typ: 'picasso-stream+jwt' })
      .sign(privateKey);
    await expectInvalid(token, 'bad_signature');
  });

  it('an unsigned token (alg none)', async () => {
    const header = { alg: 'none', kid: keys.signer().kid, typ: 'picasso-stream+jwt' };
    await expectInvalid(unsignedToken(header, streamClaims(T0)), 'forbidden_header');
    await expectInvalid(unsignedToken({ ...header, alg: 'None' }, streamClaims(T0), 'AAAA'), 'forbidden_header');
  });

  it('an HS256 token whose secret is our public key (SPKI PEM or JWK text)', async () => {
    const publicJwk = keys.jwks().keys[0];
    if (!publicJwk) throw new Error('no public key published');
    const publicKey = await importJWK(publicJwk, 'ES256', { extractable: true });
    if (publicKey instanceof Uint8Array) throw new Error('expected a CryptoKey');
    const secrets = [await exportSPKI(publicKey), JSON.stringify(publicJwk), JSON.stringify(await exportJWK(publicKey))];
    for (const secret of secrets) {
      const token = await new SignJWT(streamClaims(T0))
        .setProtectedHeader({ alg: 'HS256', kid: keys.signer().kid, typ: 'picasso-stream+jwt' })
        .sign(new TextEncoder().encode(secret));
      await expectInvalid(token, 'forbidden_header');
    }
  });

  it('a token signed with ES384 or RS256 by an outside key', async () => {
    for (const alg of ['ES384', 'RS256'] as const) {
      const { privateKey } = await generateKeyPair(alg);
      const token = await new SignJWT(streamClaims(T0))
        .setProtectedHeader({ alg, kid: keys.signer().kid, typ: 'picasso-stream+jwt' })
        .sign(privateKey);
      await expectInvalid(token, 'forbidden_header');
    }
  });

  it.each(['../../etc/passwd', '/etc/passwd', 'file:///etc/passwd', '__proto__', 'constructor', '', 'no-such-key'])(
    'a token with kid %j that is not in the key set',
    async (kid) => {
      const token = await signWithStoreKey(keys, streamClaims(T0), { kid });
      await expectInvalid(token, 'unknown_kid');
    },
  );

  it('a token without a kid', async () => {
    const token = await signWithStoreKey(keys, streamClaims(T0), { kid: undefined });
    await expectInvalid(token, 'unknown_kid');
  });

  it.each([
    '',
    'garbage',
    'a.b',
    'a.b.c',
    '...',
    'a.b.c.d',
    'eyJ.eyJ.eyJ',
    '\u0000\u0001.\u0002.\u0003',
    'éé.éé.éé',
    `${'A'.repeat(5000)}.${'B'.repeat(5000)}.${'C'.repeat(100)}`,
    `${base64url.encode('[]')}.${base64url.encode('{}')}.AAAA`,
    `${base64url.encode('not json')}.${base64url.encode('{}')}.AAAA`,
  ])('the malformed string %#', async (token) => {
    await expectInvalid(token, 'malformed');
  });

  it('a token whose payload is not JSON, correctly signed', async () => {
    const signer = keys.signer();
    const { CompactSign } = await import('jose');
    const token = await new CompactSign(new TextEncoder().encode('not json'))
      .setProtectedHeader({ alg: 'ES256', kid: signer.kid, typ: 'picasso-stream+jwt' })
      .sign(signer.key);
    await expectInvalid(token, 'malformed');
  });
});

describe('verifyToken never follows key references in the header', () => {
  let server: Server;
  let hits = 0;
  let keyUrl = '';

  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits += 1;
      res.end('{"keys":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    keyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each(['jku', 'x5u', 'jwk', 'x5c', 'crit', 'b64', 'cty', 'zip'])(
    'refuses a token with a %s header, even under our real kid, without any request',
    async (param) => {
      const fetchSpy = vi.spyOn(globalThis, 'fetch');
      const attacker = await generateKeyPair('ES256', { extractable: true });
      const attackerJwk = await exportJWK(attacker.publicKey);
      const values: Record<string, unknown> = {
        jku: keyUrl,
        x5u: keyUrl,
        jwk: attackerJwk,
        x5c: ['MIIBszCCAVmgAwIBAgIUQ2Fu'],
        crit: ['exp'],
        b64: true,
        cty: 'JWT',
        zip: 'DEF',
      };
      const header = { alg: 'ES256', typ: 'picasso-stream+jwt', [param]: values[param] };
      const ourKid = await signWithStoreKey(keys, streamClaims(T0), { [param]: values[param] });
      const theirKid = await new SignJWT(streamClaims(T0))
        .setProtectedHeader({ ...header, kid: 'attacker' })
        .sign(attacker.privateKey)
        .catch(() => unsignedToken({ ...header, kid: 'attacker' }, streamClaims(T0), 'AAAA'));
      await expectInvalid(ourKid, 'forbidden_header');
      await expectInvalid(theirKid, 'forbidden_header');
      expect(hits).toBe(0);
      expect(fetchSpy).not.toHaveBeenCalled();
    },
  );
});

describe('verifyToken purpose checks', () => {
  it('answers 403 wrong_token_purpose for a genuine manage token used as a stream token', async () => {
    const tokens = await mint();
    const error = await rejection(verifyAt(tokens.manage.token));
    expect(error.code).toBe('wrong_token_purpose');
    expect(error.status).toBe(403);
    expect(error.event()).toEqual({ reason: 'wrong_purpose', tokenId: expect.any(String), tenantId: 'acme' });
  });

  it('answers 403 for a genuine stream token used as a manage token', async () => {
    const tokens = await mint();
    const error = await rejection(verifyAt(tokens.stream.token, T0, 'manage'));
    expect(error.code).toBe('wrong_token_purpose');
  });

  it('answers 401, not 403, for an expired token of the other purpose', async () => {
    const tokens = await mint();
    await expectInvalid(tokens.manage.token, 'expired', T0 + 3_600_000);
  });

  it('refuses a token whose pur claim names another purpose than its typ (pur swap)', async () => {
    const streamTypManagePur = await signWithStoreKey(keys, streamClaims(T0, { pur: 'manage' }));
    await expectInvalid(streamTypManagePur, 'bad_claims');
    const manageTypStreamPur = await signWithStoreKey(keys, streamClaims(T0), { typ: 'picasso-manage+jwt' });
    await expectInvalid(manageTypStreamPur, 'bad_claims');
  });

  it('refuses a token whose typ is a generic JWT or missing (typ swap)', async () => {
    for (const typ of ['JWT', 'at+jwt', undefined]) {
      const token = await signWithStoreKey(keys, streamClaims(T0), { typ });
      await expectInvalid(token, 'bad_claims');
    }
  });

  it('reports ids only for tokens whose signature was verified', async () => {
    const tokens = await mint();
    const expired = await rejection(verifyAt(tokens.stream.token, T0 + 3_600_000));
    expect(expired.event()).toEqual({ reason: 'expired', tokenId: expect.any(String), tenantId: 'acme' });
    const [header, , signature] = tokens.stream.token.split('.') as [string, string, string];
    const planted = base64url.encode(JSON.stringify(streamClaims(T0, { tid: 'planted', jti: 'planted' })));
    const forged = await rejection(verifyAt(`${header}.${planted}.${signature}`));
    expect(forged.event()).toEqual({ reason: 'bad_signature' });
  });
});
