import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import express from 'express';
import type { KeyStore } from '../../../src/bff/auth/keyStore.js';
import { mintSessionTokens } from '../../../src/bff/auth/mintTokens.js';
import { requireToken } from '../../../src/bff/auth/requireToken.js';
import { createRateLimits, type RateLimitKind } from '../../../src/bff/http/rateLimits.js';
import { devKeyStore, ISSUER, manualClock, tempDataDir } from '../auth/keyTestKit.js';
import { serve, type TestServer } from './testServer.js';

const WINDOW_MS = 60_000;
const clock = manualClock();
const limited: RateLimitKind[] = [];
let keys: KeyStore;
let removeDir: () => Promise<void>;
let strictIp: TestServer;
let strictTenant: TestServer;

function app(perIp: number, perTenant: number) {
  const limits = createRateLimits({
    clock: clock.now,
    perIp: { windowMs: WINDOW_MS, limit: perIp },
    perTenant: { windowMs: WINDOW_MS, limit: perTenant },
    tenantOfMintRequest: (req) => {
      const body: unknown = req.body;
      const key = typeof body === 'object' && body !== null ? (body as { tenant?: unknown }).tenant : undefined;
      return key === 'pk_acme' ? 'acme' : key === 'pk_beta' ? 'beta' : undefined;
    },
    onLimited: (kind) => limited.push(kind),
  });
  return serve((server) => {
    server.use(express.json());
    server.post('/v1/sessions', limits.sessionMint, (_req, res) => {
      res.status(201).json({ ok: true });
    });
    server.post('/v1/chat', requireToken({ keys, issuer: ISSUER, clock: clock.now }, 'stream'), limits.chat, (_req, res) => {
      res.json({ ok: true });
    });
  });
}

beforeAll(async () => {
  const data = await tempDataDir();
  removeDir = data.remove;
  keys = await devKeyStore(data.dir, { clock: clock.now });
  strictIp = await app(3, 1_000);
  strictTenant = await app(1_000, 2);
});

afterAll(async () => {
  await strictIp.close();
  await strictTenant.close();
  keys.close();
  await removeDir();
});

beforeEach(() => {
  limited.length = 0;
  // Each test starts in fresh windows.
  clock.advance(10 * WINDOW_MS);
});

interface Reply {
  status: number;
  retryAfter: string | undefined;
  body: unknown;
}

/** Plain http.request so a test can choose the client's loopback source address. */
function post(server: TestServer, path: string, body: object, options: { from?: string; token?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const req = request(`${server.url}${path}`, { method: 'POST', headers, localAddress: options.from ?? '127.0.0.1' }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        const retryAfter = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter, body: JSON.parse(text) as unknown });
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function streamToken(tenantId: string): Promise<string> {
  const tokens = await mintSessionTokens(keys, { tenantId, sessionId: `s-${tenantId}` }, {
    issuer: ISSUER,
    streamTtlS: 900,
    manageTtlS: 900,
    now: clock.now(),
  });
  return tokens.stream.token;
}

describe('per-IP limits', () => {
  it('answers the request over the limit 429 rate_limited with Retry-After, and reports it', async () => {
    for (let i = 0; i < 3; i += 1) expect((await post(strictIp, '/v1/sessions', { tenant: 'pk_acme' })).status).toBe(201);
    clock.advance(15_000);
    const reply = await post(strictIp, '/v1/sessions', { tenant: 'pk_acme' });
    expect(reply.status).toBe(429);
    expect(reply.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(reply.retryAfter).toBe('45');
    expect(limited).toEqual(['session_ip']);
  });

  it('does not limit another address', async () => {
    for (let i = 0; i < 4; i += 1) await post(strictIp, '/v1/sessions', { tenant: 'pk_acme' });
    expect((await post(strictIp, '/v1/sessions', { tenant: 'pk_acme' }, { from: '127.0.0.2' })).status).toBe(201);
  });

  it('admits the address again once its window has passed', async () => {
    for (let i = 0; i < 4; i += 1) await post(strictIp, '/v1/sessions', { tenant: 'pk_acme' });
    clock.advance(WINDOW_MS);
    expect((await post(strictIp, '/v1/sessions', { tenant: 'pk_acme' })).status).toBe(201);
  });

  it('counts minting and chat separately', async () => {
    for (let i = 0; i < 4; i += 1) await post(strictIp, '/v1/sessions', { tenant: 'pk_acme' });
    const token = await streamToken('acme');
    expect((await post(strictIp, '/v1/chat', {}, { token })).status).toBe(200);
  });

  it('limits unknown embed keys by address even though they have no tenant', async () => {
    for (let i = 0; i < 3; i += 1) await post(strictIp, '/v1/sessions', { tenant: 'pk_nobody' });
    expect((await post(strictIp, '/v1/sessions', { tenant: 'pk_nobody' })).status).toBe(429);
  });
});

describe('per-tenant limits', () => {
  it('limits one tenant minting sessions while another tenant is unaffected', async () => {
    expect((await post(strictTenant, '/v1/sessions', { tenant: 'pk_acme' })).status).toBe(201);
    expect((await post(strictTenant, '/v1/sessions', { tenant: 'pk_acme' }, { from: '127.0.0.3' })).status).toBe(201);
    const over = await post(strictTenant, '/v1/sessions', { tenant: 'pk_acme' }, { from: '127.0.0.4' });
    expect(over.status).toBe(429);
    expect(over.retryAfter).toBe('60');
    expect(limited).toEqual(['session_tenant']);
    expect((await post(strictTenant, '/v1/sessions', { tenant: 'pk_beta' })).status).toBe(201);
  });

  it('limits chat by the tenant in the verified token, not by anything the client sends', async () => {
    const acme = await streamToken('acme');
    const beta = await streamToken('beta');
    for (let i = 0; i < 2; i += 1) expect((await post(strictTenant, '/v1/chat', { tenant: 'beta' }, { token: acme })).status).toBe(200);
    const over = await post(strictTenant, '/v1/chat', { tenant: 'beta' }, { token: acme });
    expect(over.status).toBe(429);
    expect(limited).toEqual(['chat_tenant']);
    expect((await post(strictTenant, '/v1/chat', {}, { token: beta })).status).toBe(200);
  });
});
