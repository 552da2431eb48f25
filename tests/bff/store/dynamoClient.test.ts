import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isAppError } from '../../../src/bff/errors.js';
import { createDynamoClients } from '../../../src/bff/store/dynamoClient.js';
import { MessageStore } from '../../../src/bff/store/messageStore.js';
import { limitRequestsInFlight } from '../../../src/bff/store/requestSlots.js';

/** The chain of causes of an error, outermost first. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let at = error; at !== undefined && chain.length < 10; at = at instanceof Error ? at.cause : undefined) chain.push(at);
  return chain;
}

describe('storage that stops answering', () => {
  const connections = new Set<net.Socket>();
  // Accepts connections and reads requests, and never answers one.
  const silent = net.createServer((socket) => {
    connections.add(socket);
    socket.on('error', () => undefined);
    socket.resume();
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of connections) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('fails the request with storage_unavailable once the connection has been silent too long, after retrying', async () => {
    const { raw, doc } = createDynamoClients({ region: 'us-east-1', url, timeouts: { connectMs: 200, idleMs: 200, queueMs: 1_000 } });
    try {
      const error = await new MessageStore(doc, 'silent-', Date.now)
        .put('t1', 's1', 1, { messageId: 'm1', role: 'user', text: 'hello', at: 1 })
        .catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('storage_unavailable');
      expect(causes(error).some((cause) => cause instanceof Error && cause.name === 'TimeoutError')).toBe(true);
      expect(connections.size).toBeGreaterThan(1);
    } finally {
      raw.destroy();
    }
  });

  it('fails a request that waits for a free slot longer than allowed, as storage that does not answer', async () => {
    const raw = new DynamoDBClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    limitRequestsInFlight(raw, { slots: 1, waitMs: 100 });
    const store = new MessageStore(DynamoDBDocumentClient.from(raw), 'silent-', Date.now);
    // The one slot goes to a request the server never answers.
    const holding = store.put('t1', 's1', 1, { messageId: 'm1', role: 'user', text: 'hello', at: 1 }).catch((e: unknown) => e);
    try {
      const started = performance.now();
      const error = await store.put('t1', 's1', 2, { messageId: 'm2', role: 'user', text: 'hello', at: 2 }).catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(isAppError(error) && error.code).toBe('storage_unavailable');
      expect(causes(error).some((cause) => cause instanceof Error && /no storage request slot/.test(cause.message))).toBe(true);
    } finally {
      raw.destroy();
      await holding;
    }
  });
});

describe('request slots', () => {
  it('gives a deadline only to a request that waits for a slot', async () => {
    vi.useFakeTimers();
    try {
      // The middleware alone, around requests that settle when told to.
      let middleware: ((next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>) | undefined;
      const client = { middlewareStack: { add: (added: typeof middleware) => (middleware = added) } } as unknown as DynamoDBClient;
      limitRequestsInFlight(client, { slots: 2, waitMs: 1_000 });
      const answers: Array<() => void> = [];
      const send = middleware!(() => new Promise((resolve) => answers.push(() => resolve({ output: {} }))));
      const first = send({});
      const second = send({});
      expect(vi.getTimerCount()).toBe(0);
      const third = send({});
      expect(vi.getTimerCount()).toBe(1);
      await vi.waitFor(() => expect(answers).toHaveLength(2));
      answers[0]!();
      await first;
      await vi.waitFor(() => expect(answers).toHaveLength(3));
      expect(vi.getTimerCount()).toBe(0);
      answers[1]!();
      answers[2]!();
      await Promise.all([second, third]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a burst of requests larger than the connection pool', () => {
  // Answers every request, an empty GetItem result, after a pause: a storage slower than its clients.
  const slow = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end('{}');
      }, 600);
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', 2_048, resolve));
    url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    slow.closeAllConnections();
    await new Promise<void>((resolve) => slow.close(() => resolve()));
  });

  it('waits for free sockets instead of failing the requests that queued longest', async () => {
    // Three times the pool: the last requests wait two answers' time for a socket, longer than the
    // connect timeout, which must not count that wait.
    const { raw, doc } = createDynamoClients({ region: 'us-east-1', url, timeouts: { connectMs: 900, idleMs: 10_000, queueMs: 60_000 } });
    try {
      const results = await Promise.allSettled(Array.from({ length: 1_500 }, (_, i) => doc.send(new GetCommand({ TableName: 'slow-summaries', Key: { pk: `t#${i}` } }))));
      expect(results.filter((result) => result.status === 'rejected').map((result) => (result as PromiseRejectedResult).reason)).toEqual([]);
    } finally {
      raw.destroy();
    }
  });
});
