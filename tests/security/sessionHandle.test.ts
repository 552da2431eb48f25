import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audienceFor } from '../../src/bff/auth/tokenPolicy.js';
import { createDynamoClients } from '../../src/bff/store/dynamoClient.js';
import { TABLES, physicalName } from '../../src/bff/store/tables.js';
import { attackerKeyPair, claimsOf, forgeToken, tamperClaims, type ForgeOptions } from '../support/forgeToken.js';
import { chat, createSession } from '../support/sseClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { ACME_KEY, BAYSIDE_KEY, bearer, expectError, expectRefused } from './support/attackKit.js';

const MANAGE_TTL_S = 600;
const CLOSED_KEY = 'pk_closed_test_333333';

let stack: TestStack;
let own: string;
let acme: { sessionId: string; stream: string; manage: string; handle: string };

interface Grant {
  sessionId: string;
  tokens: { stream: { token: string }; manage: { token: string } };
  handle: { token: string; expiresAt: number };
}

const post = (path: string, options: { token?: string; origin?: string; body?: unknown }) =>
  fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token === undefined ? {} : bearer(options.token)),
      ...(options.origin === undefined ? {} : { origin: options.origin }),
    },
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });

const handleFor = async (manage: string) => {
  const response = await post('/v1/sessions/handle', { token: manage, origin: own });
  expect(response.status).toBe(200);
  return ((await response.json()) as { handle: { token: string; expiresAt: number } }).handle;
};

const resume = (handle: string, options: { origin?: string | undefined; tenant?: string } = {}) =>
  post('/v1/sessions/resume', { token: handle, origin: 'origin' in options ? options.origin : own, body: { tenant: options.tenant ?? ACME_KEY } });

async function sessionOf(key: string) {
  const created = await createSession(stack.url, key);
  expect(created.status).toBe(201);
  const manage = created.body.tokens.manage.token;
  return { sessionId: created.body.sessionId, stream: created.body.tokens.stream.token, manage, handle: (await handleFor(manage)).token };
}

async function metric(name: string, label: string, value: string): Promise<number> {
  const text = await (await fetch(`${stack.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`${label}="${value}"`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Audit entries are written in the background: waits until one matches. */
async function auditedEventually(match: (item: Record<string, unknown>) => boolean): Promise<boolean> {
  const { raw, doc } = createDynamoClients({ region: stack.config.awsRegion, url: stack.dynamoUrl });
  try {
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const page = await doc.send(new ScanCommand({ TableName: physicalName(stack.config.tablePrefix, TABLES.audit) }));
      if ((page.Items ?? []).some(match)) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  } finally {
    raw.destroy();
  }
}

/** A handle built with the stack's own key, with only the given properties changed. */
const forgedHandle = (options: ForgeOptions = {}, key: { kid: string; key: CryptoKey } = stack.runtime.keys.signer()) =>
  forgeToken(key, { issuer: own, tenantId: 'acme', sessionId: acme.sessionId, purpose: 'manage' }, {
    ...options,
    header: { typ: 'picasso-handle+jwt', ...options.header },
    claims: { pur: 'handle', aud: audienceFor(own, 'handle'), ...options.claims },
  });

beforeAll(async () => {
  stack = await startTestStack({ tokenDelayMs: 0, env: { TOKEN_TTL_MANAGE_S: String(MANAGE_TTL_S) } });
  own = stack.config.publicOrigin;
  acme = await sessionOf(ACME_KEY);
  const reply = await chat(stack.url, { token: acme.stream, messageId: randomUUID(), text: 'Where do I park for the clinic?' });
  expect(reply.status).toBe(200);
}, 20_000);
afterAll(async () => stack?.close());

describe('POST /v1/sessions/handle', () => {
  it('gives the widget a handle of its session with its own purpose and the manage token\'s lifetime', async () => {
    const claims = claimsOf(acme.handle);
    expect(claims).toMatchObject({ sub: acme.sessionId, tid: 'acme', pur: 'handle', aud: `${own}/v1/sessions/resume` });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(MANAGE_TTL_S);
  });

  it('refuses to mint one for a host page, even with a genuine manage token (403 origin_not_allowed)', async () => {
    for (const origin of ['https://acme.example', 'http://host.test', undefined]) {
      await expectError(await post('/v1/sessions/handle', { token: acme.manage, origin }), 403, 'origin_not_allowed', String(origin));
    }
  });

  it('refuses a stream token or a handle in place of the manage token', async () => {
    await expectRefused(await post('/v1/sessions/handle', { token: acme.stream, origin: own }), 'wrong_purpose');
    await expectRefused(await post('/v1/sessions/handle', { token: acme.handle, origin: own }), 'wrong_purpose');
  });
});

describe('POST /v1/sessions/resume', { timeout: 20_000 }, () => {
  it('exchanges a handle from the widget for fresh tokens and a fresh handle of the same session, whose state is readable', async () => {
    const response = await resume(acme.handle);
    expect(response.status).toBe(200);
    const grant = (await response.json()) as Grant;
    expect(grant.sessionId).toBe(acme.sessionId);
    expect(grant.handle.token).not.toBe(acme.handle);
    expect(claimsOf(grant.handle.token)).toMatchObject({ sub: acme.sessionId, pur: 'handle' });
    const state = await fetch(`${stack.url}/v1/state`, { headers: bearer(grant.tokens.manage.token) });
    expect(state.status).toBe(200);
    const body = (await state.json()) as { sessionId: string; messages: Array<{ role: string; text: string; messageId: string }> };
    expect(body.sessionId).toBe(acme.sessionId);
    expect(body.messages.map((m) => [m.role, m.text])[0]).toEqual(['user', 'Where do I park for the clinic?']);
    expect(body.messages[0]?.messageId).toEqual(expect.any(String));
    expect(await auditedEventually((item) => item.action === 'session.refresh' && item.sessionId === acme.sessionId)).toBe(true);
  });

  it('refuses a genuine handle sent from a host page, from the opaque origin, or without Origin (403 origin_not_allowed), counted and audited', async () => {
    const before = await metric('picasso_security_events_total', 'kind', 'origin_denied');
    for (const origin of ['http://host.test', 'https://acme.example', 'null', undefined]) {
      await expectError(await resume(acme.handle, { origin }), 403, 'origin_not_allowed', String(origin));
    }
    expect(await metric('picasso_security_events_total', 'kind', 'origin_denied')).toBe(before + 4);
    expect(
      await auditedEventually((item) => item.action === 'origin.denied' && item.sessionId === acme.sessionId && item.tenantId === 'acme'),
    ).toBe(true);
  });

  it('control: a handle built by the forging helper with nothing changed is accepted', async () => {
    expect((await resume(await forgedHandle())).status).toBe(200);
  });

  it('refuses expired, forged, tampered and malformed handles (401), counted as token failures', async () => {
    const before = await metric('picasso_auth_failures_total', 'reason', 'expired');
    const attacker = await attackerKeyPair();
    const refused = [
      await forgedHandle({ nowMs: Date.now() - (MANAGE_TTL_S + 60) * 1000, claims: { exp: Math.floor(Date.now() / 1000) - 60 } }),
      await forgedHandle({}, { kid: stack.runtime.keys.signer().kid, key: attacker.privateKey }),
      tamperClaims(acme.handle, { sub: randomUUID() }),
      await forgedHandle({ claims: { aud: audienceFor(own) } }),
      'not.a.handle',
    ];
    for (const [index, handle] of refused.entries()) await expectRefused(await resume(handle), 'invalid', `variant ${index}`);
    expect(await metric('picasso_auth_failures_total', 'reason', 'expired')).toBe(before + 1);
    await expectRefused(await post('/v1/sessions/resume', { origin: own, body: { tenant: ACME_KEY } }), 'missing');
  });

  it('refuses a token of another purpose as a handle, and a handle as any API token (403 wrong_token_purpose)', async () => {
    await expectRefused(await resume(acme.manage), 'wrong_purpose');
    await expectRefused(await resume(acme.stream), 'wrong_purpose');
    await expectRefused(await fetch(`${stack.url}/v1/state`, { headers: bearer(acme.handle) }), 'wrong_purpose');
    await expectRefused(await post('/v1/sessions/refresh', { token: acme.handle, origin: own }), 'wrong_purpose');
    const chatWithHandle = await post('/v1/chat', { token: acme.handle, origin: own, body: { messageId: randomUUID(), text: 'hello' } });
    await expectRefused(chatWithHandle, 'wrong_purpose');
  });

  it("refuses another tenant's handle in this tenant's widget (403 forbidden), audited as a cross-tenant attempt", async () => {
    const bayside = await sessionOf(BAYSIDE_KEY);
    const before = await metric('picasso_security_events_total', 'kind', 'cross_tenant_attempt');
    await expectError(await resume(bayside.handle, { tenant: ACME_KEY }), 403, 'forbidden');
    await expectError(await resume(acme.handle, { tenant: BAYSIDE_KEY }), 403, 'forbidden');
    expect(await metric('picasso_security_events_total', 'kind', 'cross_tenant_attempt')).toBe(before + 2);
    expect(await auditedEventually((item) => item.action === 'tenant.cross_attempt' && item.sessionId === bayside.sessionId)).toBe(true);
    expect((await resume(bayside.handle, { tenant: BAYSIDE_KEY })).status).toBe(200);
  });

  it('refuses an unknown or disabled tenant in the body (404 tenant_not_found) and a body without one (400)', async () => {
    await expectError(await resume(acme.handle, { tenant: CLOSED_KEY }), 404, 'tenant_not_found');
    await expectError(await resume(acme.handle, { tenant: 'pk_nobody_here_000' }), 404, 'tenant_not_found');
    const response = await post('/v1/sessions/resume', { token: acme.handle, origin: own, body: {} });
    expect(response.status).toBe(400);
  });
});
