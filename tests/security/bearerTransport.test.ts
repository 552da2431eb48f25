import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../support/sseClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { tamperClaims } from '../support/forgeToken.js';
import {
  ACME_KEY,
  CHALLENGE_INVALID,
  expectRefused,
  modelCalls,
  rawRequest,
  storedConversationItems,
  type ErrorBody,
  type Refusal,
} from './support/attackKit.js';
import { TOKEN_ROUTES } from './support/tokenRoutes.js';

let stack: TestStack;
let tokens: { stream: string; manage: string };

beforeAll(async () => {
  stack = await startTestStack({ tokenDelayMs: 0 });
  const session = await createSession(stack.url, ACME_KEY);
  expect(session.status).toBe(201);
  tokens = { stream: session.body.tokens.stream.token, manage: session.body.tokens.manage.token };
});
afterAll(async () => stack?.close());

/** Credentials built around the session's genuine token of the route's purpose. */
type Credentials = (genuine: string) => { headers: Record<string, string>; query?: string };

/** Sends each variant's credentials to every token route and proves each route refused them. */
async function expectRefusedEverywhere(refusal: Refusal, ...variants: Credentials[]): Promise<void> {
  const stored = await storedConversationItems(stack);
  const calls = modelCalls(stack);
  for (const [index, credentials] of variants.entries()) {
    for (const route of TOKEN_ROUTES) {
      const { headers, query } = credentials(tokens[route.purpose]);
      await expectRefused(await route.call(stack.url, headers, query), refusal, `variant ${index}: ${route.name}`);
    }
  }
  expect(modelCalls(stack), 'model invocations').toBe(calls);
  expect(await storedConversationItems(stack), 'stored conversation items').toBe(stored);
}

describe('only the Authorization: Bearer header carries a token', () => {
  it('ignores a genuine token in ?access_token= or ?token= without a header (401, no error code)', async () => {
    await expectRefusedEverywhere(
      'missing',
      ...['access_token', 'token'].map((name): Credentials => (genuine) => ({ headers: {}, query: `?${name}=${genuine}` })),
    );
  });

  it('ignores a genuine token in the query string when the header holds a forged one', async () => {
    await expectRefusedEverywhere('invalid', (genuine) => ({
      headers: { authorization: `Bearer ${tamperClaims(genuine, { tid: 'bayside' })}` },
      query: `?access_token=${genuine}`,
    }));
  });

  it('refuses an empty Authorization header as missing credentials', async () => {
    await expectRefusedEverywhere('missing', () => ({ headers: { authorization: '' } }));
  });

  it('refuses other schemes and malformed Bearer credentials', async () => {
    const shapes = [
      (t: string) => `Basic ${Buffer.from(`acme:${t}`).toString('base64')}`,
      (t: string) => `Token ${t}`,
      (t: string) => `JWT ${t}`,
      (t: string) => `Bearer${t}`,
      () => 'Bearer',
      (t: string) => `Bearer ${t} ${t}`,
      (t: string) => `Bearer "${t}"`,
      (t: string) => `Bearer ${t}, Bearer ${t}`,
      (t: string) => `Bearer\t${t}`,
      (t: string) => t,
    ];
    await expectRefusedEverywhere('invalid', ...shapes.map((shape): Credentials => (genuine) => ({ headers: { authorization: shape(genuine) } })));
  });

  it('refuses a forged token behind a lowercase "bearer" scheme or extra spaces', async () => {
    const forged = (genuine: string) => tamperClaims(genuine, { tid: 'bayside' });
    await expectRefusedEverywhere(
      'invalid',
      (genuine) => ({ headers: { authorization: `bearer ${forged(genuine)}` } }),
      (genuine) => ({ headers: { authorization: `BEARER    ${forged(genuine)}` } }),
    );
  });

  // The scheme is case-insensitive (RFC 9110 §11.1) and RFC 6750 §2.1 allows one or more spaces, so
  // these are the same credentials: the token itself is still fully verified.
  it('reads "bearer" case-insensitively and tolerates extra spaces around a genuine token', async () => {
    for (const authorization of [`bearer ${tokens.manage}`, `BEARER   ${tokens.manage}`]) {
      const response = await fetch(`${stack.url}/v1/sessions/refresh`, { method: 'POST', headers: { authorization } });
      expect(response.status, authorization.slice(0, 10)).toBe(200);
      await response.arrayBuffer();
    }
  });

  it('refuses a request that carries two Authorization header lines, in either order', async () => {
    const forged = tamperClaims(tokens.manage, { tid: 'bayside' });
    const pairs = [
      [`Bearer ${tokens.manage}`, `Bearer ${forged}`],
      [`Bearer ${forged}`, `Bearer ${tokens.manage}`],
    ];
    for (const authorization of pairs) {
      const response = await rawRequest(`${stack.url}/v1/sessions/refresh`, { method: 'POST', headers: { authorization } });
      expect(response.status, `order ${authorization.map((value) => (value.includes(forged) ? 'forged' : 'genuine')).join(',')}`).toBe(401);
      expect((JSON.parse(response.body) as ErrorBody).error.code).toBe('invalid_token');
      expect(response.headers['www-authenticate']).toBe(CHALLENGE_INVALID);
    }
  });
});
