import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyStore } from '../../../src/bff/auth/keyStore.js';
import { mintSessionTokens } from '../../../src/bff/auth/mintTokens.js';
import { verifyToken } from '../../../src/bff/auth/verifyToken.js';
import { decodePart, devKeyStore, ISSUER, T0, tempDataDir } from './keyTestKit.js';

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

const subject = { tenantId: 'acme', sessionId: 'session-9' };
const options = { issuer: ISSUER, streamTtlS: 300, manageTtlS: 900, now: T0 + 250 };

describe('mintSessionTokens', () => {
  it('mints a stream and a manage token that verify for their own purpose with the same tenant and session', async () => {
    const tokens = await mintSessionTokens(keys, subject, options);
    const stream = await verifyToken(keys, tokens.stream.token, 'stream', { issuer: ISSUER, now: T0 });
    const manage = await verifyToken(keys, tokens.manage.token, 'manage', { issuer: ISSUER, now: T0 });
    expect(stream).toMatchObject({ tenantId: 'acme', sessionId: 'session-9', purpose: 'stream' });
    expect(manage).toMatchObject({ tenantId: 'acme', sessionId: 'session-9', purpose: 'manage' });
  });

  it('reports expiry in epoch milliseconds from whole-second iat plus each ttl', async () => {
    const tokens = await mintSessionTokens(keys, subject, options);
    expect(tokens.stream.expiresAt).toBe(T0 + 300_000);
    expect(tokens.manage.expiresAt).toBe(T0 + 900_000);
  });

  it('writes the pinned header and claims: ES256, store kid, purpose typ, iss, aud, sub, tid, pur, iat = nbf, random jti', async () => {
    const first = await mintSessionTokens(keys, subject, options);
    const second = await mintSessionTokens(keys, subject, options);
    const [header = '', payload = ''] = first.stream.token.split('.');
    expect(decodePart(header)).toEqual({ alg: 'ES256', kid: keys.signer().kid, typ: 'picasso-stream+jwt' });
    const claims = decodePart(payload);
    expect(claims).toEqual({
      iss: ISSUER,
      aud: `${ISSUER}/v1`,
      sub: 'session-9',
      tid: 'acme',
      pur: 'stream',
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      iat: T0 / 1000,
      nbf: T0 / 1000,
      exp: T0 / 1000 + 300,
    });
    expect(decodePart(first.manage.token.split('.')[0] ?? '')).toMatchObject({ typ: 'picasso-manage+jwt' });
    const jtis = [first.stream, first.manage, second.stream, second.manage].map(
      (minted) => decodePart(minted.token.split('.')[1] ?? '').jti,
    );
    expect(new Set(jtis).size).toBe(4);
  });

  it.each([0, 901, 1.5, Number.NaN])('refuses a lifetime of %s seconds', async (ttl) => {
    await expect(mintSessionTokens(keys, subject, { ...options, streamTtlS: ttl })).rejects.toThrow(RangeError);
    await expect(mintSessionTokens(keys, subject, { ...options, manageTtlS: ttl })).rejects.toThrow(RangeError);
  });

  it('refuses an empty tenant or session id', async () => {
    await expect(mintSessionTokens(keys, { tenantId: '', sessionId: 's' }, options)).rejects.toThrow(TypeError);
    await expect(mintSessionTokens(keys, { tenantId: 't', sessionId: '' }, options)).rejects.toThrow(TypeError);
  });
});
