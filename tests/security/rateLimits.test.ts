import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/bff/app.js';
import type { RateWindow } from '../../src/bff/http/rateLimits.js';
import { tamperClaims } from '../support/forgeToken.js';
import { createSession } from '../support/sseClient.js';
import { startTestStack, STUB_ASSETS, type TestStack } from '../support/testStack.js';
import { ACME_KEY, BAYSIDE_KEY, bearer, expectError, modelCalls, rawRequest, type ErrorBody, type RawResponse } from './support/attackKit.js';

let stack: TestStack;
const servers: Server[] = [];

beforeAll(async () => {
  stack = await startTestStack({ tokenDelayMs: 0 });
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await stack?.close();
});

/**
 * The real app over the stack's runtime, with small limits: startTestStack takes no rateLimits,
 * and its defaults (300 a minute per IP) would take hundreds of requests to reach.
 */
async function limitedApp(perIp: RateWindow, perTenant: RateWindow): Promise<string> {
  const app = createApp({
    config: stack.config,
    ...stack.runtime,
    log: stack.log,
    assets: STUB_ASSETS,
    clock: Date.now,
    isShuttingDown: () => false,
    rateLimits: { perIp, perTenant },
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const minute = (limit: number): RateWindow => ({ windowMs: 60_000, limit });

const mint = (url: string, embedKey: string, localAddress?: string) =>
  rawRequest(`${url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: embedKey }),
    ...(localAddress ? { localAddress } : {}),
  });

function expectLimited(response: RawResponse, where = ''): void {
  expect(response.status, `${where} (${response.body.slice(0, 120)})`).toBe(429);
  expect((JSON.parse(response.body) as ErrorBody).error.code, where).toBe('rate_limited');
  const retryAfter = response.headers['retry-after'];
  expect(retryAfter, `${where} Retry-After`).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  expect(response.headers['ratelimit-policy'], `${where} RateLimit-Policy`).toBeDefined();
}

async function mintMany(url: string, embedKey: string, count: number, localAddress?: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) statuses.push((await mint(url, embedKey, localAddress)).status);
  return statuses;
}

describe('session minting is limited per tenant and per client address, each apart', () => {
  it('gives a tenant that used up its budget 429 rate_limited with Retry-After, and leaves another tenant unaffected', async () => {
    const url = await limitedApp(minute(50), minute(3));
    expect(await mintMany(url, ACME_KEY, 3)).toEqual([201, 201, 201]);
    expectLimited(await mint(url, ACME_KEY), 'acme over its budget');
    expect(await mintMany(url, BAYSIDE_KEY, 3)).toEqual([201, 201, 201]);
    expectLimited(await mint(url, BAYSIDE_KEY), 'bayside over its own budget');
  });

  it('gives a client address that used up its budget 429 for every tenant and for unknown keys', async () => {
    const url = await limitedApp(minute(4), minute(100));
    expect(await mintMany(url, ACME_KEY, 2)).toEqual([201, 201]);
    expect(await mintMany(url, BAYSIDE_KEY, 2)).toEqual([201, 201]);
    expectLimited(await mint(url, ACME_KEY), 'acme');
    expectLimited(await mint(url, BAYSIDE_KEY), 'bayside');
    expectLimited(await mint(url, 'pk_nobody_000000'), 'unknown key');
  });

  it('does not let a flood from one address use up its tenant\'s budget for other addresses', async () => {
    const url = await limitedApp(minute(3), minute(5));
    const flood = await mintMany(url, ACME_KEY, 10, '127.0.0.1');
    expect(flood.filter((status) => status === 201)).toHaveLength(3);
    expect(flood.filter((status) => status === 429)).toHaveLength(7);
    // The tenant counted only the 3 admitted requests, so another address still gets 2.
    expect(await mintMany(url, ACME_KEY, 3, '127.0.0.2')).toEqual([201, 201, 429]);
  });
});

describe('chat is limited per tenant from the verified token', { timeout: 20_000 }, () => {
  it('refuses a tenant\'s chats over its budget with 429 before the model, while another tenant chats on', async () => {
    const url = await limitedApp(minute(50), minute(2));
    const acme = (await createSession(url, ACME_KEY)).body.tokens.stream.token;
    const bayside = (await createSession(url, BAYSIDE_KEY)).body.tokens.stream.token;
    const chat = (token: string) =>
      rawRequest(`${url}/v1/chat`, {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        body: JSON.stringify({ messageId: randomUUID(), text: 'Can I get a flu shot?' }),
      });
    expect((await chat(acme)).status).toBe(200);
    expect((await chat(acme)).status).toBe(200);
    const calls = modelCalls(stack);
    expectLimited(await chat(acme), 'acme chat');
    expect(modelCalls(stack)).toBe(calls);
    expect((await chat(bayside)).status).toBe(200);
  });

  it('does not count forged tokens against the tenant they name', async () => {
    const url = await limitedApp(minute(50), minute(2));
    const acme = (await createSession(url, ACME_KEY)).body.tokens.stream.token;
    const forged = tamperClaims(acme, { jti: 'flood' });
    for (let i = 0; i < 5; i += 1) {
      const response = await fetch(`${url}/v1/chat`, {
        method: 'POST',
        headers: { ...bearer(forged), 'content-type': 'application/json' },
        body: JSON.stringify({ messageId: randomUUID(), text: 'flood' }),
      });
      await expectError(response, 401, 'invalid_token');
    }
    const genuine = await fetch(`${url}/v1/chat`, {
      method: 'POST',
      headers: { ...bearer(acme), 'content-type': 'application/json' },
      body: JSON.stringify({ messageId: randomUUID(), text: 'Do you have parking?' }),
    });
    expect(genuine.status).toBe(200);
    await genuine.text();
  });
});
