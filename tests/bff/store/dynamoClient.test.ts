import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/bff/errors.js';
import { createDynamoClients } from '../../../src/bff/store/dynamoClient.js';
import { MessageStore } from '../../../src/bff/store/messageStore.js';

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
    const { raw, doc } = createDynamoClients({ region: 'us-east-1', url, timeouts: { connectMs: 200, idleMs: 200 } });
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
});
