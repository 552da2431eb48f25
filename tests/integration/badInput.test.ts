import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../support/sseClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const ACME = 'pk_acme_test_111111';

describe('bad input gets a 4xx JSON error, never a 5xx', () => {
  let stack: TestStack;
  let streamToken: string;
  beforeAll(async () => {
    stack = await startTestStack();
    streamToken = (await createSession(stack.url, ACME)).body.tokens.stream.token;
  });
  afterAll(async () => stack?.close());

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  async function expectError(response: Response, status: number, code: string) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ error: { code, message: expect.any(String) } });
  }

  const chatWith = (body: unknown, headers: Record<string, string> = {}) =>
    post('/v1/chat', typeof body === 'string' ? body : JSON.stringify(body), { authorization: `Bearer ${streamToken}`, ...headers });

  it('empty text -> 400 validation_failed', async () => {
    await expectError(await chatWith({ messageId: randomUUID(), text: '' }), 400, 'validation_failed');
    await expectError(await chatWith({ messageId: randomUUID(), text: '   \n ' }), 400, 'validation_failed');
  });

  it('text over 4,000 characters -> 400 validation_failed', async () => {
    await expectError(await chatWith({ messageId: randomUUID(), text: 'a'.repeat(4001) }), 400, 'validation_failed');
  });

  it('text of exactly 4,000 characters is accepted', async () => {
    const response = await chatWith({ messageId: randomUUID(), text: 'b'.repeat(4000) });
    expect(response.status).toBe(200);
    await response.body?.cancel();
  });

  it('broken JSON -> 400 invalid_json', async () => {
    await expectError(await chatWith('{"messageId": '), 400, 'invalid_json');
  });

  it('wrong content type -> 415 unsupported_media_type', async () => {
    await expectError(
      await post('/v1/chat', 'text=hello', { authorization: `Bearer ${streamToken}`, 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'unsupported_media_type',
    );
  });

  it('a messageId that is not a UUID, or unknown fields -> 400', async () => {
    await expectError(await chatWith({ messageId: '../../etc', text: 'hi' }), 400, 'validation_failed');
    await expectError(await chatWith({ messageId: randomUUID(), text: 'hi', tenantId: 'bayside' }), 400, 'validation_failed');
  });

  it('a Last-Event-ID that is not an event id -> 400', async () => {
    await expectError(await chatWith({ messageId: randomUUID(), text: 'hi' }, { 'last-event-id': 'abc' }), 400, 'validation_failed');
  });

  it('unknown tenant -> 404 tenant_not_found on sessions and on the widget document', async () => {
    await expectError(await post('/v1/sessions', JSON.stringify({ tenant: 'pk_nobody_000000' })), 404, 'tenant_not_found');
    await expectError(await post('/v1/sessions', JSON.stringify({ tenant: 'pk_closed_test_333333' })), 404, 'tenant_not_found');
    await expectError(await fetch(`${stack.url}/widget/?tenant=pk_nobody_000000`), 404, 'tenant_not_found');
  });

  it('missing token -> 401 invalid_token with WWW-Authenticate', async () => {
    const response = await post('/v1/chat', JSON.stringify({ messageId: randomUUID(), text: 'hi' }));
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await expectError(response, 401, 'invalid_token');
  });

  it('an oversize body -> 413 payload_too_large', async () => {
    await expectError(await chatWith({ messageId: randomUUID(), text: 'x'.repeat(40_000) }), 413, 'payload_too_large');
  });

  it('an unknown path -> 404 JSON', async () => {
    await expectError(await fetch(`${stack.url}/v1/nothing`), 404, 'not_found');
  });
});
