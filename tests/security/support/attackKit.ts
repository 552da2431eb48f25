import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import { createDynamoClients } from '../../../src/bff/store/dynamoClient.js';
import { TABLES, physicalName } from '../../../src/bff/store/tables.js';
import type { TestStack } from '../../support/testStack.js';

export const ACME_KEY = 'pk_acme_test_111111';
export const BAYSIDE_KEY = 'pk_bayside_test_222222';

export const CHALLENGE_MISSING = 'Bearer realm="picasso"';
export const CHALLENGE_INVALID = 'Bearer realm="picasso", error="invalid_token"';
export const CHALLENGE_SCOPE = 'Bearer realm="picasso", error="insufficient_scope"';

export interface ErrorBody {
  error: { code: string; message: string };
}

/** Asserts the contract's error shape: this status, a JSON body with this code. */
export async function expectError(response: Response, status: number, code: string, where = ''): Promise<void> {
  const text = await response.text();
  expect(response.status, `${where} status (body ${text.slice(0, 200)})`).toBe(status);
  expect(response.headers.get('content-type'), `${where} content-type`).toMatch(/^application\/json/);
  expect(JSON.parse(text) as ErrorBody, `${where} body`).toMatchObject({ error: { code, message: expect.any(String) } });
}

export type Refusal = 'missing' | 'invalid' | 'wrong_purpose';

/** 401 invalid_token (with the matching Bearer challenge), or 403 wrong_token_purpose. */
export async function expectRefused(response: Response, refusal: Refusal, where = ''): Promise<void> {
  const challenge = response.headers.get('www-authenticate');
  if (refusal === 'wrong_purpose') {
    await expectError(response, 403, 'wrong_token_purpose', where);
    expect(challenge, `${where} WWW-Authenticate`).toBe(CHALLENGE_SCOPE);
    return;
  }
  await expectError(response, 401, 'invalid_token', where);
  expect(challenge, `${where} WWW-Authenticate`).toBe(refusal === 'missing' ? CHALLENGE_MISSING : CHALLENGE_INVALID);
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** Converse-stream calls the Bedrock emulator has answered so far. */
export function modelCalls(stack: TestStack): number {
  return stack.emulator.invocations().filter((call) => call.operation === 'converse-stream').length;
}

const CONVERSATION_TABLES = [TABLES.summaries, TABLES.messages, TABLES.facts, TABLES.turnEvents];

/**
 * Items in the tables that hold conversations. The audit table is left out on purpose: refusals
 * are expected to be audited.
 */
export async function storedConversationItems(stack: TestStack): Promise<number> {
  const { raw } = createDynamoClients({ region: stack.config.awsRegion, url: stack.dynamoUrl });
  try {
    let total = 0;
    for (const table of CONVERSATION_TABLES) {
      let startKey: Record<string, never> | undefined;
      do {
        const page = await raw.send(
          new ScanCommand({ TableName: physicalName(stack.config.tablePrefix, table), Select: 'COUNT', ExclusiveStartKey: startKey }),
        );
        total += page.Count ?? 0;
        startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
      } while (startKey !== undefined);
    }
    return total;
  } finally {
    raw.destroy();
  }
}

/**
 * Waits until the conversation tables stop changing: after a reply ends, its event log is compacted
 * and a summary is written in the background, which would otherwise show up in the next snapshot.
 */
export async function settleStorage(stack: TestStack, quietMs = 500, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await storedConversationItems(stack);
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await storedConversationItems(stack);
    if (now !== last || stack.runtime.chat.running().length > 0) {
      last = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) {
      return;
    }
  }
  throw new Error('storage did not settle');
}

/** An HTTP server on loopback that answers every request with `body` and counts the requests. */
export async function countingServer(body: string): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = createServer((_req, res) => {
    count += 1;
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

/**
 * A request through node:http, which (unlike fetch) can send a header line twice, show the
 * response's header lines exactly as received, and leave from another loopback address.
 */
export function rawRequest(
  url: string,
  options: { method: string; headers: Record<string, string | string[]>; body?: string | Buffer; localAddress?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const { method, headers, localAddress } = options;
    const req = httpRequest(url, { method, headers, ...(localAddress ? { localAddress } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
