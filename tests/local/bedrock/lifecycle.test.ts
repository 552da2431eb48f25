import { afterEach, describe, expect, it, vi } from 'vitest';
import net from 'node:net';
import { startBedrockEmulator, type BedrockEmulator } from '../../../src/local/bedrock/server.js';
import { bedrockClient, converseStream, type Transport } from './support/clients.js';

let emulator: BedrockEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe.each<Transport>(['h2c', 'http1'])('client going away over %s', (transport) => {
  it('stops generating when the client aborts mid-stream', async () => {
    const started = await startBedrockEmulator({ tokenDelayMs: 0 });
    emulator = started;
    const client = bedrockClient(started.url, transport);
    const controller = new AbortController();
    let deltas = 0;
    const result = await converseStream(client, 'Go on and on [fault:slow=5] [fault:long=5000]', {
      abortSignal: controller.signal,
      onEvent: (event) => {
        if (event.contentBlockDelta && ++deltas === 3) controller.abort();
      },
    });
    // How the SDK reports its own abort differs by handler; what matters is that the reply ended early.
    expect(result.events.some((event) => event.messageStop)).toBe(false);
    await vi.waitFor(() => expect(started.invocations()[0]?.outcome).toBe('aborted'));
    expect(started.openReplies()).toBe(0);
    const sentAtAbort = started.invocations()[0]?.chunksSent ?? 0;
    expect(sentAtAbort).toBeLessThan(5000);
    // Had a timer survived, more chunks would be counted after a few more token delays.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(started.invocations()[0]?.chunksSent).toBe(sentAtAbort);
    client.destroy();
  });
});

describe('close()', () => {
  it('ends hanging streams and open sockets promptly and frees the port', async () => {
    const started = await startBedrockEmulator({ tokenDelayMs: 0 });
    const client = bedrockClient(started.url, 'h2c');
    const http1Client = bedrockClient(started.url, 'http1');
    const hanging = [
      converseStream(client, 'Wait [fault:hang-after=1]'),
      converseStream(http1Client, 'Wait too [fault:hang-after=1]'),
    ];
    await vi.waitFor(() => expect(started.invocations().map((call) => call.outcome)).toEqual(['hanging', 'hanging']));
    await started.close();
    const results = await Promise.all(hanging.map((call) => call.catch((error: unknown) => ({ error }))));
    expect(results).toHaveLength(2);
    expect(started.openReplies()).toBe(0);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(started.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    client.destroy();
    http1Client.destroy();
  });
});
