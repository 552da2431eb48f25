import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyStore } from '../../../src/bff/auth/keyStore.js';
import { mintSessionHandle } from '../../../src/bff/auth/mintHandle.js';
import { mintSessionTokens } from '../../../src/bff/auth/mintTokens.js';
import type { TokenError } from '../../../src/bff/auth/tokenErrors.js';
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
const options = { issuer: ISSUER, ttlS: 600, now: T0 };
const at = (now: number) => ({ issuer: ISSUER, now });

async function rejection(promise: Promise<unknown>): Promise<TokenError> {
  try {
    await promise;
  } catch (error) {
    return error as TokenError;
  }
  throw new Error('expected a rejection');
}

describe('mintSessionHandle', () => {
  it('mints a handle that verifies as a handle of the same tenant and session, for the given lifetime', async () => {
    const handle = await mintSessionHandle(keys, subject, options);
    expect(handle.expiresAt).toBe(T0 + 600_000);
    const principal = await verifyToken(keys, handle.token, 'handle', at(T0));
    expect(principal).toMatchObject({ tenantId: 'acme', sessionId: 'session-9', purpose: 'handle', expiresAt: T0 + 600_000 });
  });

  it('writes its own typ and its own audience (the resume endpoint), not those of the API tokens', async () => {
    const handle = await mintSessionHandle(keys, subject, options);
    const [header = '', payload = ''] = handle.token.split('.');
    expect(decodePart(header)).toEqual({ alg: 'ES256', kid: keys.signer().kid, typ: 'picasso-handle+jwt' });
    expect(decodePart(payload)).toMatchObject({ aud: `${ISSUER}/v1/sessions/resume`, pur: 'handle', sub: 'session-9', tid: 'acme' });
  });

  it('is refused as a stream or manage token (403 wrong purpose), and API tokens are refused as a handle', async () => {
    const handle = await mintSessionHandle(keys, subject, options);
    for (const purpose of ['stream', 'manage'] as const) {
      const error = await rejection(verifyToken(keys, handle.token, purpose, at(T0)));
      expect([error.status, error.reason]).toEqual([403, 'wrong_purpose']);
    }
    const tokens = await mintSessionTokens(keys, subject, { issuer: ISSUER, streamTtlS: 300, manageTtlS: 900, now: T0 });
    for (const token of [tokens.stream.token, tokens.manage.token]) {
      const error = await rejection(verifyToken(keys, token, 'handle', at(T0)));
      expect([error.status, error.reason]).toEqual([403, 'wrong_purpose']);
    }
  });

  it('expires with its lifetime', async () => {
    const handle = await mintSessionHandle(keys, subject, options);
    const error = await rejection(verifyToken(keys, handle.token, 'handle', at(T0 + 600_000 + 10_000)));
    expect([error.status, error.reason]).toEqual([401, 'expired']);
  });

  it.each([0, 901, 2.5])('refuses a lifetime of %s seconds', async (ttlS) => {
    await expect(mintSessionHandle(keys, subject, { ...options, ttlS })).rejects.toThrow(RangeError);
  });

  it('refuses an empty tenant or session id', async () => {
    await expect(mintSessionHandle(keys, { tenantId: '', sessionId: 's' }, options)).rejects.toThrow(TypeError);
    await expect(mintSessionHandle(keys, { tenantId: 't', sessionId: '' }, options)).rejects.toThrow(TypeError);
  });
});
