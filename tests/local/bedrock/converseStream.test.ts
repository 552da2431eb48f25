import { ConverseCommand, ModelStreamErrorException } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBedrockEmulator, type BedrockEmulator } from '../../../src/local/bedrock/server.js';
import { demoReply, expectedReply } from '../../../src/local/bedrock/responder.js';
import { bedrockClient, converseStream, eventKinds, userMessage, type Transport } from './support/clients.js';

let emulator: BedrockEmulator;

beforeAll(async () => {
  emulator = await startBedrockEmulator({ tokenDelayMs: 0 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.resetInvocations());

describe.each<[Transport, '2.0' | '1.1']>([
  ['h2c', '2.0'],
  ['http1', '1.1'],
])('the real SDK over %s', (transport, httpVersion) => {
  it('streams a reply whose chunks concatenate to expectedReply', async () => {
    const client = bedrockClient(emulator.url, transport);
    const text = `What should I bring to my first visit? (${transport})`;
    const result = await converseStream(client, text);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe(expectedReply(text));
    expect(result.text).toBe(demoReply(text));
    client.destroy();
  });

  it('yields the typed union members in Bedrock order with usage metadata', async () => {
    const client = bedrockClient(emulator.url, transport);
    const result = await converseStream(client, 'Hello');
    const kinds = eventKinds(result.events);
    const deltas = kinds.filter((kind) => kind === 'contentBlockDelta').length;
    expect(kinds).toEqual(['messageStart', ...Array(deltas).fill('contentBlockDelta'), 'contentBlockStop', 'messageStop', 'metadata']);
    expect(result.events[0]?.messageStart?.role).toBe('assistant');
    expect(result.events.at(-2)?.messageStop?.stopReason).toBe('end_turn');
    const usage = result.events.at(-1)?.metadata?.usage;
    expect(usage?.outputTokens).toBe(deltas);
    expect(usage?.totalTokens).toBe((usage?.inputTokens ?? 0) + deltas);
    expect(result.events.at(-1)?.metadata?.metrics?.latencyMs).toBeGreaterThanOrEqual(0);
    client.destroy();
  });

  it('records each call with operation, model, last user text and the protocol it came over', async () => {
    const client = bedrockClient(emulator.url, transport);
    await converseStream(client, 'Count me');
    expect(emulator.invocations()).toEqual([
      expect.objectContaining({
        operation: 'converse-stream',
        modelId: 'demo.model-v1:0',
        lastUserText: 'Count me',
        httpVersion,
        outcome: 'completed',
        chunksSent: expect.any(Number),
      }),
    ]);
    expect(Date.parse(emulator.invocations()[0]?.at ?? '')).not.toBeNaN();
    client.destroy();
  });

  it('answers Converse with the whole reply in one JSON body', async () => {
    const client = bedrockClient(emulator.url, transport);
    const text = 'Summarise please';
    const response = await client.send(
      new ConverseCommand({ ...userMessage(text), system: [{ text: 'Be brief.' }], inferenceConfig: { maxTokens: 200 } }),
    );
    expect(response.output?.message).toEqual({ role: 'assistant', content: [{ text: expectedReply(text) }] });
    expect(response.stopReason).toBe('end_turn');
    expect(response.usage?.outputTokens).toBeGreaterThan(0);
    expect(emulator.invocations()).toEqual([expect.objectContaining({ operation: 'converse', httpVersion })]);
    client.destroy();
  });

  it('surfaces a mid-stream exception frame as ModelStreamErrorException after the first chunks', async () => {
    const client = bedrockClient(emulator.url, transport);
    const text = 'Break [fault:error-after=3]';
    const result = await converseStream(client, text);
    expect(result.error).toBeInstanceOf(ModelStreamErrorException);
    expect(eventKinds(result.events)).toEqual(['messageStart', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockDelta']);
    expect(result.text).toBe(expectedReply(text));
    expect(emulator.invocations()[0]).toMatchObject({ outcome: 'model-error', chunksSent: 3 });
    client.destroy();
  });
});

it('uses HTTP/2 for both operations with the SDK default handler', async () => {
  const client = bedrockClient(emulator.url, 'h2c');
  await converseStream(client, 'One');
  await client.send(new ConverseCommand(userMessage('Two')));
  expect(emulator.invocations().map((call) => [call.operation, call.httpVersion])).toEqual([
    ['converse-stream', '2.0'],
    ['converse', '2.0'],
  ]);
  client.destroy();
});
