import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import type { KeyStore } from '../../../src/bff/auth/keyStore.js';
import { mintSessionTokens, type SessionTokens } from '../../../src/bff/auth/mintTokens.js';
import { principalOf } from '../../../src/bff/auth/principal.js';
import { requireToken, type AuthFailureEvent } from '../../../src/bff/auth/requireToken.js';
import { serve, type TestServer } from '../http/testServer.js';
import { devKeyStore, ISSUER, manualClock, signWithStoreKey, streamClaims, tempDataDir } from './keyTestKit.js';

let keys: KeyStore;
let server: TestServer;
let removeDir: () => Promise<void>;
let tokens: SessionTokens;
const clock = manualClock();
const failures: AuthFailureEvent[] = [];

beforeAll(async () => {
  const data = await tempDataDir();
  removeDir = data.remove;
  keys = await devKeyStore(data.dir, { clock: clock.now });
  const deps = { keys, issuer: ISSUER, clock: clock.now, onFailure: (event: AuthFailureEvent) => failures.push(event) };
  server = await serve((app) => {
    app.use(express.json());
    app.get('/v1/state', requireToken(deps, 'manage'), (_req, res) => {
      res.json(principalOf(res));
    });
    app.post('/v1/chat', requireToken(deps, 'stream'), (_req, res) => {
      res.json(principalOf(res));
    });
    app.post('/v1/throwing-hook', requireToken({ ...deps, onFailure: () => { throw new Error('hook down'); } }, 'stream'), (_req, res) => {
      res.json({ ok: true });
    });
    app.get('/unguarded', (_req, res) => {
      res.json(principalOf(res));
    });
  });
  tokens = await mintSessionTokens(keys, { tenantId: 'acme', sessionId: 'session-1' }, {
    issuer: ISSUER,
    streamTtlS: 300,
    manageTtlS: 900,
    now: clock.now(),
  });
});

afterAll(async () => {
  await server.close();
  keys.close();
  await removeDir();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
  failures.length = 0;
  const response = await fetch(`${server.url}${path}`, init);
  return { status: response.status, body: await response.json(), headers: response.headers };
}

describe('requireToken over HTTP', () => {
  it('admits a valid token and hands the route its principal', async () => {
    const { status, body } = await call('/v1/state', { headers: bearer(tokens.manage.token) });
    expect(status).toBe(200);
    expect(body).toMatchObject({ tenantId: 'acme', sessionId: 'session-1', purpose: 'manage' });
    expect(failures).toEqual([]);
  });

  it('accepts the scheme name in any case', async () => {
    const { status } = await call('/v1/state', { headers: { authorization: `bearer ${tokens.manage.token}` } });
    expect(status).toBe(200);
  });

  it('answers a request without a token 401 with a bare Bearer challenge', async () => {
    const { status, body, headers } = await call('/v1/state');
    expect(status).toBe(401);
    expect(body).toEqual({ error: { code: 'invalid_token', message: expect.any(String) } });
    expect(headers.get('www-authenticate')).toBe('Bearer realm="picasso"');
    expect(failures).toEqual([{ reason: 'missing' }]);
  });

  it('ignores a token in the query string or the body', async () => {
    const query = await call(`/v1/state?access_token=${tokens.manage.token}&token=${tokens.manage.token}`);
    expect(query.status).toBe(401);
    expect(failures).toEqual([{ reason: 'missing' }]);
    const body = await call('/v1/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: tokens.stream.token, token: tokens.stream.token }),
    });
    expect(body.status).toBe(401);
    expect(failures).toEqual([{ reason: 'missing' }]);
  });

  it.each([
    ['another scheme', () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a bare token', () => tokens.manage.token],
    ['two tokens', () => `Bearer ${tokens.manage.token} ${tokens.manage.token}`],
  ])('answers %s in the Authorization header 401 malformed', async (_label, header) => {
    const { status, headers } = await call('/v1/state', { headers: { authorization: header() } });
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toBe('Bearer realm="picasso", error="invalid_token"');
    expect(failures).toEqual([{ reason: 'malformed' }]);
  });

  it('answers a forged token 401 invalid_token and reports no ids from it', async () => {
    const forged = await signWithStoreKey(keys, streamClaims(clock.now()), { kid: 'not-ours' });
    const { status, body, headers } = await call('/v1/chat', { method: 'POST', headers: bearer(forged) });
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: { code: 'invalid_token' } });
    expect(headers.get('www-authenticate')).toBe('Bearer realm="picasso", error="invalid_token"');
    expect(failures).toEqual([{ reason: 'unknown_kid' }]);
  });

  it('answers a token of the other purpose 403 wrong_token_purpose with its verified ids', async () => {
    const { status, body, headers } = await call('/v1/state', { headers: bearer(tokens.stream.token) });
    expect(status).toBe(403);
    expect(body).toMatchObject({ error: { code: 'wrong_token_purpose' } });
    expect(headers.get('www-authenticate')).toBe('Bearer realm="picasso", error="insufficient_scope"');
    expect(failures).toEqual([{ reason: 'wrong_purpose', tokenId: expect.any(String), tenantId: 'acme' }]);
  });

  it('answers an expired token 401 by the injected clock, and never passes the token to the hook', async () => {
    clock.advance(400_000);
    try {
      const { status } = await call('/v1/chat', { method: 'POST', headers: bearer(tokens.stream.token) });
      expect(status).toBe(401);
      expect(failures).toMatchObject([{ reason: 'expired', tenantId: 'acme' }]);
      expect(JSON.stringify(failures)).not.toContain(tokens.stream.token.split('.')[2]);
    } finally {
      clock.advance(-400_000);
    }
  });

  it('still answers 401 when the failure hook throws', async () => {
    const { status, body } = await call('/v1/throwing-hook', { method: 'POST', headers: bearer('x.y.z') });
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: { code: 'invalid_token' } });
  });

  it('never answers 5xx for hostile Authorization values', async () => {
    const values = ['Bearer ', 'Bearer a.b.c', `Bearer ${'A'.repeat(6000)}`, 'Bearer ..', 'Bearer e30.e30.e30', 'Bearer =====', 'Bearer x/y+z='];
    for (const value of values) {
      const { status } = await call('/v1/state', { headers: { authorization: value } });
      expect(status).toBe(401);
    }
  });

  it('fails a route mounted without its token check instead of running tenant-less', async () => {
    const { status } = await call('/unguarded');
    expect(status).toBe(500);
  });
});
