import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../support/sseClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { ACME_KEY, bearer, expectError, modelCalls, storedConversationItems } from './support/attackKit.js';
import { drain, TOKEN_ROUTES } from './support/tokenRoutes.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ tokenDelayMs: 0 });
});
afterAll(async () => stack?.close());

const mint = (origin: string | undefined, embedKey = ACME_KEY) =>
  fetch(`${stack.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin === undefined ? {} : { origin }) },
    body: JSON.stringify({ tenant: embedKey }),
  });

const preflight = (path: string, origin: string) =>
  fetch(`${stack.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });

describe('POST /v1/sessions admits only the tenant\'s exact origins', () => {
  const refused: Array<[string, string]> = [
    ['another site', 'https://evil.example'],
    ['the opaque origin "null"', 'null'],
    ['a suffix trick', 'https://acme.example.evil.com'],
    ['a prefix trick', 'https://evil-acme.example'],
    ['http instead of https', 'http://acme.example'],
    ['another port', 'https://acme.example:8443'],
    ['a trailing slash', 'https://acme.example/'],
    ['a path', 'https://acme.example/embed'],
    ['a trailing dot', 'https://acme.example.'],
    ['userinfo', 'https://acme.example@evil.example'],
    ['a wildcard', '*'],
    ['another scheme', 'file://acme.example'],
  ];
  for (const [what, origin] of refused) {
    it(`refuses ${what} (${origin}) with 403 origin_not_allowed and no CORS grant`, async () => {
      const response = await mint(origin);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      await expectError(response, 403, 'origin_not_allowed');
    });
  }

  it('refuses another tenant\'s origin (https://bayside.example) minting for acme with 403 origin_not_allowed', async () => {
    await expectError(await mint('https://bayside.example'), 403, 'origin_not_allowed');
    const own = await mint('https://bayside.example', 'pk_bayside_test_222222');
    expect(own.status).toBe(201);
    await own.arrayBuffer();
  });

  it('admits the tenant\'s own origin with exactly that origin in Access-Control-Allow-Origin and no credentials', async () => {
    for (const origin of ['https://acme.example', 'http://host.test']) {
      const response = await mint(origin);
      expect(response.status).toBe(201);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('vary')?.split(/\s*,\s*/)).toContain('Origin');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(response.headers.get('access-control-expose-headers')).toBe('Retry-After');
      await response.arrayBuffer();
    }
  });

  it('admits the BFF\'s own origin (the iframe) and requests without an Origin (servers, tools)', async () => {
    for (const origin of [stack.config.publicOrigin, undefined]) {
      const response = await mint(origin);
      expect(response.status, String(origin)).toBe(201);
      await response.arrayBuffer();
    }
  });

  // Browsers serialise origins in lower case without the default port (RFC 6454 §6.2), so they never
  // send these forms; the code compares parsed origins, and the forms name the same origin.
  it('treats an upper-case host and an explicit default port as the same origin', async () => {
    for (const origin of ['https://ACME.example', 'https://acme.example:443']) {
      const response = await mint(origin);
      expect(response.status, origin).toBe(201);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      await response.arrayBuffer();
    }
  });
});

describe('CORS preflights', () => {
  it('answers a preflight from another site with 403 origin_not_allowed JSON and no CORS grant', async () => {
    for (const path of ['/v1/sessions', '/v1/chat', '/v1/state']) {
      const response = await preflight(path, 'https://evil.example');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-methods')).toBeNull();
      await expectError(response, 403, 'origin_not_allowed', path);
    }
  });

  it('answers a preflight from an allowed origin with 204, the allowed methods and headers, and no credentials', async () => {
    for (const path of ['/v1/sessions', '/v1/chat', '/v1/state']) {
      const response = await preflight(path, 'https://acme.example');
      expect(response.status, path).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://acme.example');
      expect(response.headers.get('access-control-allow-methods')).toBe('POST, GET');
      expect(response.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type, Last-Event-ID');
      expect(response.headers.get('access-control-max-age')).toBe('600');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(response.headers.get('vary')?.split(/\s*,\s*/)).toContain('Origin');
    }
  });
});

describe('a token is usable only from its own tenant\'s origins', { timeout: 20_000 }, () => {
  it('refuses an acme token sent from bayside\'s or another site\'s origin on every token route (403 origin_not_allowed)', async () => {
    const session = await createSession(stack.url, ACME_KEY);
    const tokens = { stream: session.body.tokens.stream.token, manage: session.body.tokens.manage.token };
    const stored = await storedConversationItems(stack);
    const calls = modelCalls(stack);
    for (const origin of ['https://bayside.example', 'https://evil.example', 'null']) {
      for (const route of TOKEN_ROUTES) {
        const response = await route.call(stack.url, { ...bearer(tokens[route.purpose]), origin });
        await expectError(response, 403, 'origin_not_allowed', `${route.name} from ${origin}`);
      }
    }
    expect(modelCalls(stack)).toBe(calls);
    expect(await storedConversationItems(stack)).toBe(stored);
  });

  it('control: the same tokens work from the tenant\'s own origin and from the BFF\'s origin', async () => {
    const session = await createSession(stack.url, ACME_KEY);
    const tokens = { stream: session.body.tokens.stream.token, manage: session.body.tokens.manage.token };
    for (const origin of ['https://acme.example', stack.config.publicOrigin]) {
      for (const route of TOKEN_ROUTES) {
        const response = await route.call(stack.url, { ...bearer(tokens[route.purpose]), origin });
        await drain(response);
        expect(response.status, `${route.name} from ${origin}`).toBe(route.acceptedStatus);
      }
    }
  });

  it('keeps the data of a session whose token was replayed from another tenant\'s origin', async () => {
    const session = await createSession(stack.url, ACME_KEY);
    const { stream, manage } = session.body.tokens;
    const chat = await fetch(`${stack.url}/v1/chat`, {
      method: 'POST',
      headers: { ...bearer(stream.token), 'content-type': 'application/json', origin: 'https://acme.example' },
      body: JSON.stringify({ messageId: randomUUID(), text: 'Where can I park?' }),
    });
    expect(chat.status).toBe(200);
    await chat.text();
    const clear = await fetch(`${stack.url}/v1/state/clear`, { method: 'POST', headers: { ...bearer(manage.token), origin: 'https://bayside.example' } });
    await expectError(clear, 403, 'origin_not_allowed');
    const state = await fetch(`${stack.url}/v1/state`, { headers: bearer(manage.token) });
    expect(((await state.json()) as { messages: unknown[] }).messages).toHaveLength(2);
  });
});
