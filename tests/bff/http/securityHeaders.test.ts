import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSecurityHeaders, frameAncestorsSource, widgetSecurityHeaders } from '../../../src/bff/http/securityHeaders.js';
import { serve, type TestServer } from './testServer.js';

let server: TestServer;

const WIDGET_CSP =
  "default-src 'self';script-src 'self';style-src 'self';connect-src 'self';img-src 'self' data:;" +
  "frame-ancestors https://acme.example http://localhost:5173;base-uri 'none';form-action 'none';object-src 'none'";

beforeAll(async () => {
  server = await serve((app) => {
    // Express announces itself unless something removes the header.
    app.enable('x-powered-by');
    app.get('/api/dev', apiSecurityHeaders(), (_req, res) => {
      res.json({ ok: true });
    });
    app.get('/api/prod', apiSecurityHeaders({ production: true }), (_req, res) => {
      res.json({ ok: true });
    });
    app.get('/widget/static', widgetSecurityHeaders(['https://acme.example', 'http://localhost:5173/']), (_req, res) => {
      res.type('html').send('<!doctype html>');
    });
    app.get(
      '/widget/by-tenant',
      widgetSecurityHeaders((req) => (String(req.url).includes('tenant=acme') ? ['https://acme.example'] : [])),
      (_req, res) => {
        res.type('html').send('<!doctype html>');
      },
    );
  });
});

afterAll(async () => {
  await server.close();
});

const headersOf = async (path: string) => (await fetch(`${server.url}${path}`)).headers;

describe('apiSecurityHeaders', () => {
  it('forbids everything in API responses and keeps them out of caches', async () => {
    const headers = await headersOf('/api/dev');
    expect(headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('x-powered-by')).toBeNull();
  });

  it('sends HSTS only in production', async () => {
    expect((await headersOf('/api/dev')).get('strict-transport-security')).toBeNull();
    expect((await headersOf('/api/prod')).get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
  });
});

describe('widgetSecurityHeaders', () => {
  it('lets exactly the listed origins frame the widget and confines everything else to its own origin', async () => {
    const headers = await headersOf('/widget/static');
    expect(headers.get('content-security-policy')).toBe(WIDGET_CSP);
    expect(headers.get('x-frame-options')).toBeNull();
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('x-powered-by')).toBeNull();
  });

  it('resolves the ancestors per request, and allows no framing when a request has none', async () => {
    expect((await headersOf('/widget/by-tenant?tenant=acme')).get('content-security-policy')).toContain(
      'frame-ancestors https://acme.example;',
    );
    expect((await headersOf('/widget/by-tenant?tenant=other')).get('content-security-policy')).toContain(
      "frame-ancestors 'none';",
    );
  });
});

describe('widgetSecurityHeaders called per request', () => {
  it('reuses one middleware per origin list, separately for production', () => {
    const list = ['https://acme.example'];
    expect(widgetSecurityHeaders([...list])).toBe(widgetSecurityHeaders([...list]));
    expect(widgetSecurityHeaders(list, { production: true })).not.toBe(widgetSecurityHeaders(list));
    expect(widgetSecurityHeaders(['https://beta.example'])).not.toBe(widgetSecurityHeaders(list));
  });

  it('sends HSTS on the widget in production only', async () => {
    const local = await serve((app) => {
      app.get('/dev', (req, res, next) => widgetSecurityHeaders(['https://acme.example'])(req, res, next), (_req, res) => {
        res.send('ok');
      });
      app.get('/prod', (req, res, next) => widgetSecurityHeaders(['https://acme.example'], { production: true })(req, res, next), (_req, res) => {
        res.send('ok');
      });
    });
    try {
      expect((await fetch(`${local.url}/dev`)).headers.get('strict-transport-security')).toBeNull();
      expect((await fetch(`${local.url}/prod`)).headers.get('strict-transport-security')).toMatch(/^max-age=/);
    } finally {
      await local.close();
    }
  });
});

describe('frameAncestorsSource', () => {
  it('keeps only exact http(s) origins, so no entry can widen or break the policy', () => {
    expect(
      frameAncestorsSource([
        '*',
        'https://*.acme.example',
        "https://acme.example; script-src 'unsafe-inline'",
        'https://acme.example/path',
        'null',
        "'self'",
        'data:',
        'HTTPS://Acme.Example:443',
        'https://acme.example',
      ]),
    ).toBe('https://acme.example');
    expect(frameAncestorsSource([])).toBe("'none'");
  });
});
