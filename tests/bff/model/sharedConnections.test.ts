import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedConnectionsHandler, createBedrockClient } from '../../../src/bff/model/bedrockModel.js';
import { expectedReply } from '../../../src/local/bedrock/responder.js';
import { startBedrockEmulator, type BedrockEmulator } from '../../../src/local/bedrock/server.js';
import { converseStream } from '../../local/bedrock/support/clients.js';

/** A TCP relay in front of the emulator that counts the connections clients open through it. */
async function countingRelay(target: number) {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections += 1;
    const upstream = net.connect(target, '127.0.0.1');
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const client = (url: string, streamsPerConnection?: number) =>
  new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: new SharedConnectionsHandler(streamsPerConnection),
  });

let emulator: BedrockEmulator;
beforeAll(async () => {
  emulator = await startBedrockEmulator({ tokenDelayMs: 2 });
});
afterAll(() => emulator.close());

describe('replies share HTTP/2 connections', () => {
  it('streams concurrent replies over one connection, each whole and unmixed', async () => {
    const relay = await countingRelay(emulator.port);
    const bedrock = client(relay.url);
    const texts = Array.from({ length: 6 }, (_, i) => `Question ${i} about parking [fault:long=30]`);
    const results = await Promise.all(texts.map((text) => converseStream(bedrock, text)));
    for (const [i, result] of results.entries()) {
      expect(result.error).toBeUndefined();
      expect(result.events.filter((event) => event.contentBlockDelta)).toHaveLength(30);
      expect(result.text).toBe(expectedReply(texts[i]!));
    }
    // Six prompts, six different replies: no stream carried another's chunks.
    expect(new Set(results.map((result) => result.text)).size).toBe(6);
    expect(relay.connections()).toBe(1);
    bedrock.destroy();
    await relay.close();
  });

  it('opens another connection only when every open one carries its limit of replies', async () => {
    const relay = await countingRelay(emulator.port);
    const bedrock = client(relay.url, 2);
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => converseStream(bedrock, `Hours, ask ${i} [fault:long=20]`)));
    expect(results.every((result) => result.error === undefined)).toBe(true);
    expect(relay.connections()).toBe(3);
    bedrock.destroy();
    await relay.close();
  });

  it('ends only the aborted reply: the others on its connection stream on to the end', async () => {
    const relay = await countingRelay(emulator.port);
    const bedrock = client(relay.url);
    const abort = new AbortController();
    let seen = 0;
    const aborted = converseStream(bedrock, 'Stop me [fault:slow=20]', {
      abortSignal: abort.signal,
      onEvent: (event) => {
        if (event.contentBlockDelta && (seen += 1) === 2) abort.abort();
      },
    }).catch((error: unknown) => ({ text: '', events: [], error: error as Error }));
    const others = ['Where do I park?', 'Can I bring my child?'];
    const finished = await Promise.all(others.map((text) => converseStream(bedrock, `${text} [fault:slow=20]`)));
    await aborted;
    expect(seen).toBe(2);
    for (const [i, result] of finished.entries()) {
      expect(result.error).toBeUndefined();
      expect(result.text).toBe(expectedReply(`${others[i]!} [fault:slow=20]`));
    }
    expect(relay.connections()).toBe(1);
    bedrock.destroy();
    await relay.close();
  });

  it('sends each reply request body from a buffer of its own, not a shared pool slab', async () => {
    const bedrock = client(emulator.url);
    const sent: Array<{ body?: unknown }> = [];
    bedrock.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        sent.push(args.request as { body?: unknown });
        return result;
      },
      { step: 'finalizeRequest', name: 'captureSentRequest' },
    );
    const text = 'Where do I park? [fault:long=5]';
    const result = await converseStream(bedrock, text);
    expect(result.text).toBe(expectedReply(text));
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as Uint8Array;
    expect(body).toBeInstanceOf(Uint8Array);
    expect(body.byteLength).toBeGreaterThan(0);
    // The SDK's serialiser allocates small bodies from Node's 8 KB pool; a reply must not keep that alive.
    expect(body.buffer.byteLength).toBe(body.byteLength);
    bedrock.destroy();
  });

  it('is what the BFF model client uses', () => {
    const bedrock = createBedrockClient({ region: 'us-east-1', url: emulator.url });
    expect(bedrock.config.requestHandler).toBeInstanceOf(SharedConnectionsHandler);
    bedrock.destroy();
  });
});
