import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthFailureReason } from '../../src/bff/auth/tokenErrors.js';
import { createDynamoClients } from '../../src/bff/store/dynamoClient.js';
import { TABLES, physicalName } from '../../src/bff/store/tables.js';
import { forgeToken, tamperClaims, unsecuredToken } from '../support/forgeToken.js';
import { chat, createSession } from '../support/sseClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { ACME_KEY, bearer, expectError, expectRefused, type Refusal } from './support/attackKit.js';

const MESSAGE_TEXT = 'Marker sentence quartz kangaroo 7f3c about my knee';
const PLANTED_ID = 'plantedTokenIdXq9';

let stack: TestStack;
const logLines: string[] = [];
/** Every token sent during the run, genuine or forged: none may appear in metrics, logs or audit. */
const tokensSent: string[] = [];
let session: { sessionId: string; stream: string; manage: string };
let metricsBefore: string;

beforeAll(async () => {
  stack = await startTestStack({ tokenDelayMs: 0, logDestination: { write: (line: string) => void logLines.push(line) } });
  const created = await createSession(stack.url, ACME_KEY);
  session = { sessionId: created.body.sessionId, stream: created.body.tokens.stream.token, manage: created.body.tokens.manage.token };
  tokensSent.push(session.stream, session.manage);
  const reply = await chat(stack.url, { token: session.stream, messageId: randomUUID(), text: MESSAGE_TEXT });
  expect(reply.status).toBe(200);
  metricsBefore = await metricsText();
}, 20_000);
afterAll(async () => stack?.close());

async function metricsText(): Promise<string> {
  const response = await fetch(`${stack.url}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one Prometheus sample, 0 when the series does not exist yet. */
function sample(text: string, name: string, label: string, value: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`${label}="${value}"`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function auditItems(): Promise<Array<Record<string, unknown>>> {
  const { raw, doc } = createDynamoClients({ region: stack.config.awsRegion, url: stack.dynamoUrl });
  try {
    const page = await doc.send(new ScanCommand({ TableName: physicalName(stack.config.tablePrefix, TABLES.audit) }));
    return page.Items ?? [];
  } finally {
    raw.destroy();
  }
}

/** Audit entries are written in the background; wait until the expected ones are there. */
async function auditUntil(done: (items: Array<Record<string, unknown>>) => boolean): Promise<Array<Record<string, unknown>>> {
  const deadline = Date.now() + 5_000;
  let items = await auditItems();
  while (!done(items) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    items = await auditItems();
  }
  return items;
}

const subject = (purpose: 'stream' | 'manage') => ({ issuer: stack.config.publicOrigin, tenantId: 'acme', sessionId: session.sessionId, purpose });
const signer = () => stack.runtime.keys.signer();

/** One attempt per failure reason, each on GET /v1/state or POST /v1/chat. */
const ATTEMPTS: Array<{ reason: AuthFailureReason; refusal: Refusal; token: () => Promise<string | undefined> }> = [
  { reason: 'missing', refusal: 'missing', token: async () => undefined },
  { reason: 'malformed', refusal: 'invalid', token: async () => 'not-a-token' },
  { reason: 'bad_signature', refusal: 'invalid', token: async () => tamperClaims(session.manage, { tid: 'bayside', jti: PLANTED_ID }) },
  { reason: 'expired', refusal: 'invalid', token: () => forgeToken(signer(), subject('manage'), { nowMs: Date.now() - 660_000 }) },
  { reason: 'not_yet_valid', refusal: 'invalid', token: () => forgeToken(signer(), subject('manage'), { claims: { nbf: Math.floor(Date.now() / 1000) + 120 } }) },
  { reason: 'unknown_kid', refusal: 'invalid', token: () => forgeToken(signer(), subject('manage'), { header: { kid: '../../etc/passwd' } }) },
  { reason: 'forbidden_header', refusal: 'invalid', token: () => forgeToken(signer(), subject('manage'), { header: { jku: 'http://127.0.0.1:9/keys' } }) },
  { reason: 'forbidden_header', refusal: 'invalid', token: async () => unsecuredToken({ alg: 'none', kid: signer().kid, typ: 'picasso-manage+jwt' }, { tid: 'acme', jti: PLANTED_ID }) },
  { reason: 'bad_claims', refusal: 'invalid', token: () => forgeToken(signer(), subject('manage'), { claims: { jti: undefined } }) },
  { reason: 'wrong_purpose', refusal: 'wrong_purpose', token: async () => session.stream },
];

describe('refusals are counted, audited and never leak tokens or message text', { timeout: 20_000 }, () => {
  it('counts every token failure by reason in picasso_auth_failures_total', async () => {
    const expected = new Map<AuthFailureReason, number>();
    for (const attempt of ATTEMPTS) {
      const token = await attempt.token();
      if (token !== undefined) tokensSent.push(token);
      const response = await fetch(`${stack.url}/v1/state`, { headers: token === undefined ? {} : bearer(token) });
      await expectRefused(response, attempt.refusal, attempt.reason);
      expected.set(attempt.reason, (expected.get(attempt.reason) ?? 0) + 1);
    }
    const after = await metricsText();
    for (const [reason, count] of expected) {
      const delta = sample(after, 'picasso_auth_failures_total', 'reason', reason) - sample(metricsBefore, 'picasso_auth_failures_total', 'reason', reason);
      expect(delta, reason).toBe(count);
    }
  });

  it('counts origin denials and cross-tenant token use in picasso_security_events_total', async () => {
    for (const origin of ['https://evil.example', 'https://acme.example.evil.com']) {
      const response = await fetch(`${stack.url}/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ tenant: ACME_KEY }),
      });
      await expectError(response, 403, 'origin_not_allowed');
    }
    const crossTenant = await fetch(`${stack.url}/v1/chat`, {
      method: 'POST',
      headers: { ...bearer(session.stream), 'content-type': 'application/json', origin: 'https://bayside.example' },
      body: JSON.stringify({ messageId: randomUUID(), text: MESSAGE_TEXT }),
    });
    await expectError(crossTenant, 403, 'origin_not_allowed');
    const after = await metricsText();
    const delta = (kind: string) =>
      sample(after, 'picasso_security_events_total', 'kind', kind) - sample(metricsBefore, 'picasso_security_events_total', 'kind', kind);
    expect(delta('origin_denied')).toBe(2);
    expect(delta('cross_tenant_attempt')).toBe(1);
  });

  it('writes audit entries for auth failures, origin denials and cross-tenant attempts', async () => {
    const items = await auditUntil(
      (all) =>
        all.filter((item) => item.action === 'auth.failure').length >= ATTEMPTS.length &&
        all.filter((item) => item.action === 'origin.denied').length >= 2 &&
        all.some((item) => item.action === 'tenant.cross_attempt'),
    );
    const failures = items.filter((item) => item.action === 'auth.failure');
    expect(failures.map((item) => (item.detail as { reason?: string } | undefined)?.reason).sort()).toEqual(ATTEMPTS.map((a) => a.reason).sort());
    expect(failures.every((item) => item.outcome === 'denied')).toBe(true);
    const denials = items.filter((item) => item.action === 'origin.denied');
    expect(denials).toHaveLength(2);
    expect(denials.every((item) => item.tenantId === 'acme' && item.outcome === 'denied')).toBe(true);
    const cross = items.filter((item) => item.action === 'tenant.cross_attempt');
    expect(cross).toHaveLength(1);
    expect(cross[0]).toMatchObject({ tenantId: 'acme', sessionId: session.sessionId, outcome: 'denied' });
  });

  it('puts no unverified id in the audit trail: forged tokens are recorded without tenant or token id', async () => {
    const items = await auditItems();
    const text = JSON.stringify(items);
    expect(text).not.toContain(PLANTED_ID);
    const forged = items.filter((item) => item.action === 'auth.failure' && ['bad_signature', 'malformed', 'forbidden_header', 'unknown_kid'].includes((item.detail as { reason: string }).reason));
    expect(forged.length).toBeGreaterThan(0);
    for (const item of forged) {
      expect(item.tenantId).toBeUndefined();
      expect(item.tokenId).toBeUndefined();
      expect(item.pk).toBe('_system');
    }
  });

  it('leaks no token and no message text into /metrics, the logs or the audit trail', async () => {
    // A genuine token in the query string, which a careless request log would keep.
    const inQuery = await fetch(`${stack.url}/v1/state?access_token=${session.manage}`);
    await expectRefused(inQuery, 'missing');
    const sinks = { metrics: await metricsText(), logs: logLines.join(''), audit: JSON.stringify(await auditItems()) };
    expect(logLines.length).toBeGreaterThan(0);
    for (const [sink, text] of Object.entries(sinks)) {
      expect(text, `${sink}: message text`).not.toContain(MESSAGE_TEXT);
      expect(text, `${sink}: message text`).not.toContain('kangaroo');
      for (const token of tokensSent) {
        // The signature alone is enough to tell a token was copied; a header segment is not secret.
        const signature = token.split('.')[2];
        expect(text, `${sink}: token`).not.toContain(token);
        if (signature) expect(text, `${sink}: token signature`).not.toContain(signature);
        const payload = token.split('.')[1];
        if (payload) expect(text, `${sink}: token claims`).not.toContain(payload);
      }
    }
  });
});
