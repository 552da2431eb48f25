import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalOrigin, corsFor, isOriginAllowed } from '../../../src/bff/http/origins.js';
import { serve, type TestServer } from './testServer.js';

const OWN = 'https://bff.example';
const ALLOWED = ['https://acme.example', 'http://localhost:5173', 'https://portal.acme.example:8443/'];

describe('isOriginAllowed', () => {
  it.each([
    ['the exact allowed origin', 'https://acme.example'],
    ['the explicit default port', 'https://acme.example:443'],
    ['an upper-case host and scheme', 'HTTPS://ACME.Example'],
    ['a non-default port that is listed', 'http://localhost:5173'],
    ['an allow-list entry written with a trailing slash', 'https://portal.acme.example:8443'],
    ["the service's own origin", 'https://bff.example'],
  ])('allows %s', (_label, origin) => {
    expect(isOriginAllowed(origin, ALLOWED, OWN)).toBe(true);
  });

  it.each([
    ['no Origin header', undefined],
    ['an empty Origin', ''],
    ['an unrelated origin', 'https://evil.example'],
    ['the opaque origin null', 'null'],
    ['an allowed host as a prefix of an evil host (suffix attack)', 'https://acme.example.evil.com'],
    ['an evil host ending in the allowed name (prefix attack)', 'https://evil-acme.example'],
    ['a sibling subdomain', 'https://www.acme.example'],
    ['http instead of https', 'http://acme.example'],
    ['https instead of http', 'https://localhost:5173'],
    ['another port', 'https://acme.example:8443'],
    ['another port on localhost', 'http://localhost:5174'],
    ['a trailing slash on the request origin', 'https://acme.example/'],
    ['a path', 'https://acme.example/widget'],
    ['credentials', 'https://user@acme.example'],
    ['a query', 'https://acme.example?x=1'],
    ['a backslash trick', 'https://evil.example\\acme.example'],
    ['a non-http scheme', 'file://acme.example'],
    ['an extension origin', 'chrome-extension://abcdef'],
    ['a list of origins', 'https://acme.example https://evil.example'],
    ['a trailing dot', 'https://acme.example.'],
  ])('refuses %s', (_label, origin) => {
    expect(isOriginAllowed(origin, ALLOWED, OWN)).toBe(false);
  });

  it('refuses everything except the own origin when a tenant allows nothing', () => {
    expect(isOriginAllowed('https://acme.example', [], OWN)).toBe(false);
    expect(isOriginAllowed('https://bff.example:443', [], OWN)).toBe(true);
  });

  it('never lets a malformed allow-list entry match anything', () => {
    const allowed = ['*', 'https://*.acme.example', 'acme.example', 'null', 'https://acme.example/path'];
    for (const origin of ['https://acme.example', 'https://x.acme.example', 'https://*.acme.example', 'null', 'https://evil.example']) {
      expect(isOriginAllowed(origin, allowed, OWN)).toBe(false);
    }
  });
});

describe('canonicalOrigin', () => {
  it('lower-cases, drops default ports and keeps others', () => {
    expect(canonicalOrigin('HTTP://LocalHost:80')).toBe('http://localhost');
    expect(canonicalOrigin('https://a.example:8443')).toBe('https://a.example:8443');
    expect(canonicalOrigin('http://[::1]:3000')).toBe('http://[::1]:3000');
  });
});

describe('corsFor over HTTP', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await serve((app) => {
      app.use('/v1', corsFor(() => ALLOWED, OWN));
      app.post('/v1/sessions', (_req, res) => {
        res.status(201).json({ ok: true });
      });
    });
  });

  afterAll(async () => {
    await server.close();
  });

  const preflight = (origin: string) =>
    fetch(`${server.url}/v1/sessions`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });

  it('answers an allowed preflight 204 with the exact origin, methods, headers and max-age, without credentials', async () => {
    const response = await preflight('https://acme.example');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://acme.example');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST, GET');
    expect(response.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type, Last-Event-ID');
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it.each(['https://evil.example', 'null', 'https://acme.example.evil.com', 'https://evil-acme.example'])(
    'answers a preflight from %s 403 origin_not_allowed without CORS headers',
    async (origin) => {
      const response = await preflight(origin);
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: { code: 'origin_not_allowed', message: expect.any(String) } });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('vary')).toMatch(/Origin/);
    },
  );

  it('echoes an allowed origin on the actual request and marks the response as varying by Origin', async () => {
    const response = await fetch(`${server.url}/v1/sessions`, { method: 'POST', headers: { origin: 'http://localhost:5173' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it('adds no CORS headers for a disallowed or missing origin, but still varies by Origin', async () => {
    const variants: Record<string, string>[] = [{ origin: 'https://evil.example' }, {}];
    for (const headers of variants) {
      const response = await fetch(`${server.url}/v1/sessions`, { method: 'POST', headers });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('vary')).toMatch(/Origin/);
    }
  });
});
