import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, SseParser, type SseEvent } from '../support/sseClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { ACME_KEY, modelCalls, rawRequest, storedConversationItems, type RawResponse } from './support/attackKit.js';

let stack: TestStack;
let tokens: { stream: string; manage: string };

beforeAll(async () => {
  stack = await startTestStack({ tokenDelayMs: 0 });
  const session = await createSession(stack.url, ACME_KEY);
  tokens = { stream: session.body.tokens.stream.token, manage: session.body.tokens.manage.token };
});
afterAll(async () => stack?.close());

const json = { 'content-type': 'application/json' };
const streamAuth = () => ({ authorization: `Bearer ${tokens.stream}` });
const post = (path: string, body: string | Buffer, headers: Record<string, string | string[]>) =>
  rawRequest(`${stack.url}${path}`, { method: 'POST', headers, body });

function expectRawError(response: RawResponse, status: number, code: string, where = ''): void {
  expect(response.status, `${where} status (${response.body.slice(0, 200)})`).toBe(status);
  expect(response.headers['content-type'], where).toMatch(/^application\/json/);
  expect(JSON.parse(response.body), where).toMatchObject({ error: { code } });
}

/** No response header was added from request data, and no header value carries a line break. */
function expectNoHeaderInjection(response: RawResponse, where = ''): void {
  const names = response.rawHeaders.filter((_, index) => index % 2 === 0).map((name) => name.toLowerCase());
  expect(names, where).not.toContain('x-injected');
  for (const value of response.rawHeaders) expect(value, where).not.toMatch(/[\r\n]/);
}

/** Sends requests that must all be refused and proves nothing reached the model or storage. */
async function withoutSideEffects(attempts: () => Promise<void>): Promise<void> {
  const stored = await storedConversationItems(stack);
  const calls = modelCalls(stack);
  await attempts();
  expect(modelCalls(stack), 'model invocations').toBe(calls);
  expect(await storedConversationItems(stack), 'stored conversation items').toBe(stored);
}

function eventsOf(body: string): SseEvent[] {
  const events: SseEvent[] = [];
  new SseParser((event) => events.push(event)).push(body);
  return events;
}

async function storedUserTexts(): Promise<string[]> {
  const response = await fetch(`${stack.url}/v1/state`, { headers: { authorization: `Bearer ${tokens.manage}` } });
  const state = (await response.json()) as { messages: Array<{ role: string; text: string }> };
  return state.messages.filter((m) => m.role === 'user').map((m) => m.text);
}

const ODD = {
  nul: 'a\u0000b',
  'a lone high surrogate': 'a\ud800b',
  'a lone low surrogate': 'a\udc00b',
  'a right-to-left override': 'a\u202eb',
  'zero-width joiners': 'a\u200d\u200cb\ufeff',
  'a 4-byte emoji': 'a\u{1F469}\u200d\u{1F52C}b',
};

describe('request bodies that are too large are refused with 413 before any work', () => {
  it('refuses a JSON body over 32 kB on every body-taking route', async () => {
    const big = JSON.stringify({ messageId: randomUUID(), text: 'x'.repeat(33 * 1024) });
    await withoutSideEffects(async () => {
      for (const path of ['/v1/sessions', '/v1/chat', '/v1/chat/stop']) {
        expectRawError(await post(path, big, { ...json, ...streamAuth() }), 413, 'payload_too_large', path);
      }
    });
  });

  it('refuses an oversize body sent chunked, without a Content-Length', async () => {
    const big = JSON.stringify({ messageId: randomUUID(), text: 'y'.repeat(64 * 1024) });
    await withoutSideEffects(async () => {
      expectRawError(await post('/v1/chat', big, { ...json, ...streamAuth(), 'transfer-encoding': 'chunked' }), 413, 'payload_too_large');
    });
  });

  it('refuses a gzip body that inflates past the limit (a compression bomb) with a 4xx', async () => {
    const bomb = gzipSync(Buffer.from(JSON.stringify({ tenant: ' '.repeat(8 * 1024 * 1024) })));
    expect(bomb.length).toBeLessThan(32 * 1024);
    await withoutSideEffects(async () => {
      const response = await post('/v1/sessions', bomb, { ...json, 'content-encoding': 'gzip' });
      expect([413, 415]).toContain(response.status);
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: expect.stringMatching(/^(payload_too_large|unsupported_media_type)$/) } });
    });
  });
});

describe('malformed JSON is a 400, never a 5xx', () => {
  it('answers syntactically broken or non-object JSON with 400 invalid_json', async () => {
    await withoutSideEffects(async () => {
      for (const body of ['{', '{"tenant":', 'nul', "{'tenant': 'pk_acme_test_111111'}", '"pk_acme_test_111111"', '42', 'null', '{"tenant":"a"}}', '\u0000']) {
        expectRawError(await post('/v1/sessions', body, json), 400, 'invalid_json', JSON.stringify(body));
        expectRawError(await post('/v1/chat', body, { ...json, ...streamAuth() }), 400, 'invalid_json', JSON.stringify(body));
      }
    });
  });

  it('refuses prototype keys and other unknown fields with 400 validation_failed', async () => {
    await withoutSideEffects(async () => {
      for (const body of [
        `{"tenant":"${ACME_KEY}","__proto__":{"admin":true}}`,
        `{"tenant":"${ACME_KEY}","constructor":{"prototype":{"admin":true}}}`,
        '[]',
        `{"tenant":["${ACME_KEY}"]}`,
      ]) {
        expectRawError(await post('/v1/sessions', body, json), 400, 'validation_failed', body);
      }
      const chat = `{"messageId":"${randomUUID()}","text":"hi","__proto__":{"tenantId":"bayside"}}`;
      expectRawError(await post('/v1/chat', chat, { ...json, ...streamAuth() }), 400, 'validation_failed');
    });
  });

  it('refuses a body in a charset outside the UTF family with 415', async () => {
    for (const charset of ['iso-8859-1', 'windows-1252', 'x-unknown']) {
      const response = await post('/v1/sessions', JSON.stringify({ tenant: ACME_KEY }), { 'content-type': `application/json; charset=${charset}` });
      expectRawError(response, 415, 'unsupported_media_type', charset);
    }
  });

  // body-parser decodes any utf-* charset (RFC 8259 §8.1 once allowed UTF-16/32 JSON); the decoded
  // text then goes through the same validation, so the charset changes nothing but the bytes.
  it('decodes a UTF-16 body to the same value and validates it like any other', async () => {
    const minted = await post('/v1/sessions', Buffer.from(JSON.stringify({ tenant: ACME_KEY }), 'utf16le'), { 'content-type': 'application/json; charset=utf-16le' });
    expect(minted.status).toBe(201);
    const unknown = await post('/v1/sessions', Buffer.from(JSON.stringify({ tenant: `${ACME_KEY}\r\nX-Injected: 1` }), 'utf16le'), { 'content-type': 'application/json; charset=utf-16le' });
    expectRawError(unknown, 404, 'tenant_not_found');
    expectNoHeaderInjection(unknown);
  });
});

describe('ids with CR/LF or unusual characters are refused and never reach a response header', () => {
  it('refuses an embed key carrying CRLF and a header line with 404, and injects nothing', async () => {
    const response = await post('/v1/sessions', JSON.stringify({ tenant: `${ACME_KEY}\r\nX-Injected: 1` }), { ...json, origin: 'https://acme.example' });
    expectRawError(response, 404, 'tenant_not_found');
    expectNoHeaderInjection(response);
  });

  it('refuses a messageId carrying CRLF with 400, and injects nothing', async () => {
    await withoutSideEffects(async () => {
      const response = await post('/v1/chat', JSON.stringify({ messageId: `${randomUUID()}\r\nX-Injected: 1`, text: 'hi' }), { ...json, ...streamAuth() });
      expectRawError(response, 400, 'validation_failed');
      expectNoHeaderInjection(response);
    });
  });

  for (const [what, odd] of Object.entries(ODD)) {
    it(`refuses an embed key or messageId with ${what} with a 4xx`, async () => {
      await withoutSideEffects(async () => {
        const minted = await post('/v1/sessions', JSON.stringify({ tenant: `${ACME_KEY}${odd}` }), json);
        expectRawError(minted, 404, 'tenant_not_found', 'embed key');
        expectNoHeaderInjection(minted);
        const chat = await post('/v1/chat', JSON.stringify({ messageId: `${randomUUID()}${odd}`, text: 'hi' }), { ...json, ...streamAuth() });
        expectRawError(chat, 400, 'validation_failed', 'messageId');
        expectNoHeaderInjection(chat);
      });
    });
  }

  it('refuses text with NUL as control characters (400 validation_failed)', async () => {
    await withoutSideEffects(async () => {
      const response = await post('/v1/chat', JSON.stringify({ messageId: randomUUID(), text: ODD.nul }), { ...json, ...streamAuth() });
      expectRawError(response, 400, 'validation_failed');
    });
  });
});

// Runs last: accepted messages leave background work (event-log compaction, a summary) that
// would otherwise show up in the storage snapshots of the refusal tests.
describe('text with CR/LF and unusual characters is accepted as text', { timeout: 20_000 }, () => {
  it('accepts chat text with CRLF as text: streamed, stored verbatim, and absent from every header', async () => {
    const text = 'First line\r\nX-Injected: 1\r\n\r\nSecond paragraph';
    const response = await post('/v1/chat', JSON.stringify({ messageId: randomUUID(), text }), { ...json, ...streamAuth() });
    expect(response.status).toBe(200);
    expectNoHeaderInjection(response);
    expect(eventsOf(response.body).at(-1)?.event).toBe('done');
    expect(await storedUserTexts()).toContain(text);
  });

  it('accepts text with RTL overrides, zero-width joiners and 4-byte emoji, and stores it verbatim', async () => {
    for (const text of [ODD['a right-to-left override'], ODD['zero-width joiners'], ODD['a 4-byte emoji']]) {
      const response = await post('/v1/chat', JSON.stringify({ messageId: randomUUID(), text }), { ...json, ...streamAuth() });
      expect(response.status).toBe(200);
      expectNoHeaderInjection(response);
      expect(eventsOf(response.body).at(-1)?.event).toBe('done');
      expect(await storedUserTexts()).toContain(text);
    }
  });

  it('refuses lone surrogates in text with 400 (they are not text and DynamoDB would refuse them)', async () => {
    for (const odd of [ODD['a lone high surrogate'], ODD['a lone low surrogate']]) {
      const response = await post('/v1/chat', JSON.stringify({ messageId: randomUUID(), text: odd }), { ...json, ...streamAuth() });
      expectRawError(response, 400, 'validation_failed', 'lone surrogate');
      expect(await storedUserTexts()).not.toContain(odd);
    }
  });

  it('accepts invalid UTF-8 bytes in text as U+FFFD, stored as decoded, never a 5xx', async () => {
    const messageId = randomUUID();
    const body = Buffer.concat([Buffer.from(`{"messageId":"${messageId}","text":"a`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('b"}')]);
    const response = await post('/v1/chat', body, { ...json, ...streamAuth() });
    expect(response.status).toBe(200);
    expect(eventsOf(response.body).at(-1)?.event).toBe('done');
    expect(await storedUserTexts()).toContain('a\ufffd\ufffd\ufffdb');
  });
});
