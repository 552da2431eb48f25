import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../support/sseClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const ACME = 'pk_acme_test_111111';

describe('POST /v1/client-errors over HTTP', () => {
  let stack: TestStack;
  let manage: string;
  let stream: string;

  beforeAll(async () => {
    stack = await startTestStack({ env: { TEST_HOOKS: '1' } });
    const { body } = await createSession(stack.url, ACME);
    manage = body.tokens.manage.token;
    stream = body.tokens.stream.token;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const report = (body: unknown, token: string | null = manage) =>
    fetch(`${stack.url}/v1/client-errors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const counted = async (region: string, code: string) => {
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`picasso_widget_errors_total{region="${region}",code="${code}"}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('accepts a valid report with the manage token, answers 204 and counts it by region and code', async () => {
    const before = await counted('messages', 'typeerror');
    const response = await report({ v: 1, region: 'messages', code: 'typeerror' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(await counted('messages', 'typeerror')).toBe(before + 1);
    expect((await report({ v: 1, region: 'composer', code: 'testcrash', count: 3 })).status).toBe(204);
    expect(await counted('composer', 'testcrash')).toBe(3);
  });

  it('refuses a report without a token, or with the stream token', async () => {
    expect((await report({ v: 1, region: 'app', code: 'x' }, null)).status).toBe(401);
    expect([401, 403]).toContain((await report({ v: 1, region: 'app', code: 'x' }, stream)).status);
    expect(await counted('app', 'x')).toBe(0);
  });

  it.each([
    ['a message field', { v: 1, region: 'app', code: 'typeerror', message: 'Maria Gonzalez typed this' }],
    ['a stack field', { v: 1, region: 'app', code: 'typeerror', stack: 'at render (x.js:1)' }],
    ['free text as the code', { v: 1, region: 'app', code: 'Cannot read name of Maria' }],
    ['a code over 64 characters', { v: 1, region: 'app', code: 'a'.repeat(65) }],
    ['an unknown region', { v: 1, region: 'header', code: 'typeerror' }],
    ['another version', { v: 2, region: 'app', code: 'typeerror' }],
    ['a fractional count', { v: 1, region: 'app', code: 'typeerror', count: 1.5 }],
    ['a count over 100', { v: 1, region: 'app', code: 'typeerror', count: 101 }],
    ['an array', [1, 2]],
  ])('rejects %s with 400 validation_failed', async (_label, body) => {
    const response = await report(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
  });

  it('rejects a body that is not JSON with a 4xx JSON error', async () => {
    const response = await report('{not json');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toMatch(/invalid_json|validation_failed|bad_request/);
  });

  it('limits reports per address: after the window is used up it answers 429 rate_limited with Retry-After', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 25; i += 1) {
      last = await report({ v: 1, region: 'panel', code: 'flood' });
      if (last.status === 429) break;
    }
    expect(last?.status).toBe(429);
    expect(last?.headers.get('retry-after')).toBe('60');
    expect(((await last!.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(await counted('panel', 'flood')).toBeLessThanOrEqual(20);
  });

  it('puts testHooks:true into the widget config only when the BFF runs with TEST_HOOKS=1', async () => {
    const html = await (await fetch(`${stack.url}/widget/?tenant=${ACME}`)).text();
    expect(html).toContain('"testHooks":true');
    const plain = await startTestStack();
    try {
      const plainHtml = await (await fetch(`${plain.url}/widget/?tenant=${ACME}`)).text();
      expect(plainHtml).toContain('"testHooks":false');
    } finally {
      await plain.close();
    }
  });
});
