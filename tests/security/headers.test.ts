import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../support/sseClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { ACME_KEY, BAYSIDE_KEY, bearer, expectError } from './support/attackKit.js';

let stack: TestStack;
let tokens: { stream: string; manage: string };

beforeAll(async () => {
  stack = await startTestStack({ tokenDelayMs: 0 });
  const session = await createSession(stack.url, ACME_KEY);
  tokens = { stream: session.body.tokens.stream.token, manage: session.body.tokens.manage.token };
});
afterAll(async () => stack?.close());

/** The CSP as directive name -> source list, so a test can pin one directive exactly. */
function directives(csp: string | null): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of (csp ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), sources.join(' '));
  }
  return map;
}

const widget = (query: string) => fetch(`${stack.url}/widget/${query}`);

function expectApiHeaders(response: Response, where: string, options: { cacheable?: boolean } = {}): void {
  const csp = directives(response.headers.get('content-security-policy'));
  expect(csp.get('frame-ancestors'), `${where} frame-ancestors`).toBe("'none'");
  expect(csp.get('default-src'), `${where} default-src`).toBe("'none'");
  expect(response.headers.get('x-content-type-options'), `${where} nosniff`).toBe('nosniff');
  expect(response.headers.get('referrer-policy'), `${where} Referrer-Policy`).toBe('no-referrer');
  expect(response.headers.get('x-powered-by'), `${where} X-Powered-By`).toBeNull();
  if (!options.cacheable) expect(response.headers.get('cache-control'), `${where} Cache-Control`).toMatch(/(^|,\s*)no-store(,|$)/);
}

describe('the widget document may be framed by its tenant\'s origins and nothing else', () => {
  it('lists exactly acme\'s origins in frame-ancestors and sends no X-Frame-Options', async () => {
    const response = await widget(`?tenant=${ACME_KEY}`);
    expect(response.status).toBe(200);
    const csp = directives(response.headers.get('content-security-policy'));
    expect(csp.get('frame-ancestors')).toBe('https://acme.example http://host.test');
    expect(response.headers.get('x-frame-options')).toBeNull();
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    await response.text();
  });

  it('lists only bayside\'s origin for bayside, so one tenant\'s page cannot frame another\'s widget', async () => {
    const response = await widget(`?tenant=${BAYSIDE_KEY}`);
    expect(directives(response.headers.get('content-security-policy')).get('frame-ancestors')).toBe('https://bayside.example');
    await response.text();
  });

  it('answers an unknown, disabled or injected tenant key with 404 tenant_not_found and no injected header', async () => {
    for (const query of ['?tenant=pk_nobody', '?tenant=pk_closed_test_333333', '?tenant=pk_acme_test_111111%0D%0AX-Injected:%201', '?tenant[]=pk_acme_test_111111', '']) {
      const response = await widget(query);
      expect(response.headers.get('x-injected'), query).toBeNull();
      await expectError(response, 404, 'tenant_not_found', query);
    }
  });
});

describe('API responses cannot be framed, sniffed, cached or referred', () => {
  it('POST /v1/sessions (201), GET /v1/state (200) and POST /v1/sessions/refresh (200)', async () => {
    const minted = await fetch(`${stack.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://acme.example' },
      body: JSON.stringify({ tenant: ACME_KEY }),
    });
    expect(minted.status).toBe(201);
    expectApiHeaders(minted, 'sessions');
    const state = await fetch(`${stack.url}/v1/state`, { headers: bearer(tokens.manage) });
    expect(state.status).toBe(200);
    expectApiHeaders(state, 'state');
    const refresh = await fetch(`${stack.url}/v1/sessions/refresh`, { method: 'POST', headers: bearer(tokens.manage) });
    expect(refresh.status).toBe(200);
    expectApiHeaders(refresh, 'refresh');
    await Promise.all([minted.arrayBuffer(), state.arrayBuffer(), refresh.arrayBuffer()]);
  });

  it('the POST /v1/chat event stream', async () => {
    const response = await fetch(`${stack.url}/v1/chat`, {
      method: 'POST',
      headers: { ...bearer(tokens.stream), 'content-type': 'application/json' },
      body: JSON.stringify({ messageId: randomUUID(), text: 'Is there a pharmacy nearby?' }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expectApiHeaders(response, 'chat');
    await response.text();
  });

  it('error responses: 401, 403, 400, 404 and 413', async () => {
    const responses: Array<[string, Promise<Response>]> = [
      ['401', fetch(`${stack.url}/v1/state`)],
      ['403', fetch(`${stack.url}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: JSON.stringify({ tenant: ACME_KEY }) })],
      ['400', fetch(`${stack.url}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })],
      ['404', fetch(`${stack.url}/v1/no-such-route`)],
      ['413', fetch(`${stack.url}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'x'.repeat(40_000) }) })],
    ];
    for (const [status, pending] of responses) {
      const response = await pending;
      expect(String(response.status)).toBe(status);
      expectApiHeaders(response, status);
      await response.arrayBuffer();
    }
  });

  it('echoes a client X-Request-Id only when it is a plain id, never arbitrary text', async () => {
    const plain = await fetch(`${stack.url}/v1/no-such-route`, { headers: { 'x-request-id': 'req-12345678' } });
    expect(plain.headers.get('x-request-id')).toBe('req-12345678');
    const hostile = await fetch(`${stack.url}/v1/no-such-route`, { headers: { 'x-request-id': 'abc<script>x-injected: 1' } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(hostile.headers.get('x-injected')).toBeNull();
    await Promise.all([plain.arrayBuffer(), hostile.arrayBuffer()]);
  });

  it('GET /.well-known/jwks.json (publicly cacheable), /healthz and /metrics carry the same headers', async () => {
    const jwks = await fetch(`${stack.url}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    expectApiHeaders(jwks, 'jwks', { cacheable: true });
    for (const path of ['/healthz', '/metrics']) {
      const response = await fetch(`${stack.url}${path}`);
      expect(response.status).toBe(200);
      expectApiHeaders(response, path);
      await response.arrayBuffer();
    }
    await jwks.arrayBuffer();
  });
});
