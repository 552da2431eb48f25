import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireOwnOrigin } from '../../../src/bff/auth/requireOwnOrigin.js';
import { serve, type TestServer } from '../http/testServer.js';

const OWN = 'https://bff.example';
const denied: Array<{ tenantId: string; sessionId: string }> = [];
let server: TestServer;

beforeAll(async () => {
  server = await serve((app) => {
    const authenticated: express.RequestHandler = (_req, res, next) => {
      res.locals.principal = { tenantId: 'acme', sessionId: 's-1', tokenId: 't-1', purpose: 'handle', expiresAt: 1 };
      next();
    };
    const guard = requireOwnOrigin(OWN, (tenantId, sessionId) => denied.push({ tenantId, sessionId }));
    app.post('/guarded', authenticated, guard, (_req, res) => {
      res.json({ ok: true });
    });
    const throwingHook = requireOwnOrigin(OWN, () => {
      throw new Error('audit down');
    });
    app.post('/throwing-hook', authenticated, throwingHook, (_req, res) => {
      res.json({ ok: true });
    });
  });
});
afterAll(async () => server.close());

const call = (path: string, origin?: string) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: origin === undefined ? {} : { origin } });

describe('requireOwnOrigin', () => {
  it("admits a request from the service's own origin, in any letter case and with the default port", async () => {
    for (const origin of [OWN, 'HTTPS://BFF.EXAMPLE', 'https://bff.example:443']) {
      expect((await call('/guarded', origin)).status, origin).toBe(200);
    }
  });

  it('refuses a tenant site, a look-alike, the opaque origin and a request without Origin: 403 origin_not_allowed, reported with the principal', async () => {
    denied.length = 0;
    const origins = ['https://acme.example', 'https://bff.example.evil.com', 'http://bff.example', 'null', undefined];
    for (const origin of origins) {
      const response = await call('/guarded', origin);
      expect(response.status, String(origin)).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');
    }
    expect(denied).toEqual(origins.map(() => ({ tenantId: 'acme', sessionId: 's-1' })));
  });

  it('still answers 403 when the report hook throws', async () => {
    expect((await call('/throwing-hook', 'https://acme.example')).status).toBe(403);
  });
});
