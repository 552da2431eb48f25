import { ConverseStreamCommand, ResourceNotFoundException, ValidationException } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBedrockEmulator, type BedrockEmulator } from '../../../src/local/bedrock/server.js';
import { bedrockClient, userMessage, type Transport } from './support/clients.js';
import { postHttp1, postHttp2 } from './support/rawClients.js';

let emulator: BedrockEmulator;

beforeAll(async () => {
  emulator = await startBedrockEmulator({ tokenDelayMs: 0 });
});
afterAll(() => emulator.close());

describe.each<Transport>(['h2c', 'http1'])('errors before the stream, real SDK over %s', (transport) => {
  it('surfaces a body that is not JSON as ValidationException', async () => {
    const client = bedrockClient(emulator.url, transport);
    // Corrupts the serialised body after the SDK built it, to reach the server's JSON parsing.
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body: unknown; headers: Record<string, string> };
        request.body = '{"messages": [';
        request.headers['content-length'] = String(Buffer.byteLength(request.body as string));
        return next(args);
      },
      { step: 'finalizeRequest', name: 'corruptBody' },
    );
    await expect(client.send(new ConverseStreamCommand(userMessage('hi')))).rejects.toBeInstanceOf(ValidationException);
    client.destroy();
  });

  it('surfaces empty messages and unknown fault markers as ValidationException', async () => {
    const client = bedrockClient(emulator.url, transport);
    await expect(client.send(new ConverseStreamCommand({ modelId: 'm', messages: [] }))).rejects.toBeInstanceOf(
      ValidationException,
    );
    await expect(client.send(new ConverseStreamCommand(userMessage('x [fault:bogus]')))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    client.destroy();
  });
});

describe.each([
  ['HTTP/1.1', postHttp1],
  ['HTTP/2', postHttp2],
])('Bedrock error shape over %s', (_, post) => {
  it('sends status, x-amzn-ErrorType and a JSON message for bad JSON', async () => {
    const response = await post(emulator.url, '/model/m/converse-stream', 'not json');
    expect(response.status).toBe(400);
    expect(response.headers['x-amzn-errortype']).toBe('ValidationException');
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body.toString())).toEqual({ message: expect.any(String) });
  });

  it('answers an unknown path with 404 ResourceNotFoundException', async () => {
    const response = await post(emulator.url, '/model/m/invoke-something', '{}');
    expect(response.status).toBe(404);
    expect(response.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
  });

  it('rejects a user message without content blocks and a conversation without a user', async () => {
    const noBlocks = await post(emulator.url, '/model/m/converse', JSON.stringify({ messages: [{ role: 'user', content: [] }] }));
    expect(noBlocks.status).toBe(400);
    const noUser = await post(
      emulator.url,
      '/model/m/converse',
      JSON.stringify({ messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] }),
    );
    expect(noUser.status).toBe(400);
    expect(noUser.headers['x-amzn-errortype']).toBe('ValidationException');
  });
});

it('maps 404 to the SDK ResourceNotFoundException class', async () => {
  const client = bedrockClient(`${emulator.url}/elsewhere`, 'h2c');
  await expect(client.send(new ConverseStreamCommand(userMessage('hi')))).rejects.toBeInstanceOf(
    ResourceNotFoundException,
  );
  client.destroy();
});
