import { ConverseCommand, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startBedrockEmulator, type BedrockEmulator } from '../../../src/local/bedrock/server.js';
import { expectedChunks, expectedReply } from '../../../src/local/bedrock/responder.js';
import { bedrockClient, converseStream, userMessage, type Transport } from './support/clients.js';

let emulator: BedrockEmulator;

beforeAll(async () => {
  emulator = await startBedrockEmulator({ tokenDelayMs: 0 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.resetInvocations());

describe.each<Transport>(['h2c', 'http1'])('scripted faults over %s', (transport) => {
  it('[fault:throttle] answers 429 ThrottlingException before the stream, every time', async () => {
    const client = bedrockClient(emulator.url, transport);
    for (let call = 0; call < 2; call += 1) {
      const failure = await converseStream(client, 'Busy? [fault:throttle]').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ThrottlingException);
      expect((failure as ThrottlingException).$metadata.httpStatusCode).toBe(429);
    }
    expect(emulator.invocations().map((call) => call.outcome)).toEqual(['throttled', 'throttled']);
    client.destroy();
  });

  it('[fault:throttle-once] throttles the first call for that exact text and serves the next', async () => {
    const client = bedrockClient(emulator.url, transport);
    const text = `Retry me [fault:throttle-once] ${transport}`;
    await expect(converseStream(client, text)).rejects.toBeInstanceOf(ThrottlingException);
    expect((await converseStream(client, text)).text).toBe(expectedReply(text));
    const other = `${text} again`;
    await expect(converseStream(client, other)).rejects.toBeInstanceOf(ThrottlingException);
    expect(emulator.invocations().map((call) => call.outcome)).toEqual(['throttled', 'completed', 'throttled']);
    client.destroy();
  });

  it('[fault:long=N] streams exactly N chunks', async () => {
    const client = bedrockClient(emulator.url, transport);
    const text = 'Tell me everything [fault:long=400]';
    const result = await converseStream(client, text);
    expect(result.events.filter((event) => event.contentBlockDelta)).toHaveLength(400);
    expect(result.text).toBe(expectedReply(text));
    client.destroy();
  });

  it('[fault:slow=MS] waits at least MS between chunks', async () => {
    const client = bedrockClient(emulator.url, transport);
    const arrivals: number[] = [];
    await converseStream(client, 'Slowly [fault:slow=40] [fault:long=4]', {
      onEvent: (event) => {
        if (event.contentBlockDelta) arrivals.push(performance.now());
      },
    });
    expect(arrivals).toHaveLength(4);
    // A lower bound only: timers never fire early, however loaded the machine is.
    const gaps = arrivals.slice(1).map((at, index) => at - (arrivals[index] ?? at));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(30);
    client.destroy();
  });

  it('[fault:hang-after=N] sends N chunks, then nothing, with the connection left open', async () => {
    const client = bedrockClient(emulator.url, transport);
    const text = 'Hang on [fault:hang-after=2]';
    const controller = new AbortController();
    const received: string[] = [];
    const streaming = converseStream(client, text, {
      abortSignal: controller.signal,
      onEvent: (event) => {
        const delta = event.contentBlockDelta?.delta?.text;
        if (delta !== undefined) received.push(delta);
      },
    });
    await vi.waitFor(() => expect(emulator.invocations()[0]?.outcome).toBe('hanging'));
    expect(emulator.openReplies()).toBe(1);
    expect(received).toEqual(expectedChunks(text));
    controller.abort();
    await streaming.catch(() => undefined);
    await vi.waitFor(() => expect(emulator.invocations()[0]?.outcome).toBe('aborted'));
    expect(emulator.openReplies()).toBe(0);
    client.destroy();
  });
});

describe('faults on Converse', () => {
  it('turns error-after into ModelErrorException and throttle into ThrottlingException', async () => {
    const client = bedrockClient(emulator.url, 'h2c');
    await expect(client.send(new ConverseCommand(userMessage('x [fault:error-after=1]')))).rejects.toMatchObject({
      name: 'ModelErrorException',
      $metadata: { httpStatusCode: 424 },
    });
    await expect(client.send(new ConverseCommand(userMessage('x [fault:throttle]')))).rejects.toBeInstanceOf(
      ThrottlingException,
    );
    client.destroy();
  });
});

it('lets the SDK retry policy absorb a throttle-once', async () => {
  const client = bedrockClient(emulator.url, 'h2c', 2);
  const text = 'Retried by the SDK [fault:throttle-once]';
  expect((await converseStream(client, text)).text).toBe(expectedReply(text));
  expect(emulator.invocations().map((call) => call.outcome)).toEqual(['throttled', 'completed']);
  client.destroy();
});
