import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBedrockEmulator, type BedrockEmulator } from '../../../src/local/bedrock/server.js';
import { expectedReply } from '../../../src/local/bedrock/responder.js';
import { decodeFrames, postHttp1, postHttp2 } from './support/rawClients.js';

let emulator: BedrockEmulator;

beforeAll(async () => {
  emulator = await startBedrockEmulator({ tokenDelayMs: 0 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.resetInvocations());

const body = (text: string) =>
  JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }], system: [{ text: 'You are kind.' }] });

describe.each([
  ['HTTP/1.1', postHttp1, '1.1'],
  ['HTTP/2 prior knowledge', postHttp2, '2.0'],
])('one port speaks %s', (_, post, httpVersion) => {
  it('streams event-stream frames with Bedrock headers and payloads', async () => {
    const text = 'Raw client [fault:error-after=2]';
    const response = await post(emulator.url, '/model/demo%3A1/converse-stream', body(text));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.amazon.eventstream');
    const frames = decodeFrames(response.body);
    expect(frames.map((frame) => frame.headers[':event-type'] ?? frame.headers[':exception-type'])).toEqual([
      'messageStart',
      'contentBlockDelta',
      'contentBlockDelta',
      'modelStreamErrorException',
    ]);
    expect(frames[0]).toEqual({
      headers: { ':event-type': 'messageStart', ':content-type': 'application/json', ':message-type': 'event' },
      payload: { role: 'assistant' },
    });
    expect(frames[1]?.payload).toEqual({ contentBlockIndex: 0, delta: { text: expect.any(String) } });
    expect(frames[3]).toEqual({
      headers: {
        ':exception-type': 'modelStreamErrorException',
        ':content-type': 'application/json',
        ':message-type': 'exception',
      },
      payload: { message: expect.any(String) },
    });
    const streamed = frames
      .slice(1, 3)
      .map((frame) => (frame.payload as { delta: { text: string } }).delta.text)
      .join('');
    expect(streamed).toBe(expectedReply(text));
    expect(emulator.invocations()).toEqual([expect.objectContaining({ modelId: 'demo:1', httpVersion })]);
  });

  it('ends a complete stream with contentBlockStop, messageStop and metadata frames', async () => {
    const response = await post(emulator.url, '/model/m/converse-stream', body('Full please'));
    const frames = decodeFrames(response.body);
    expect(frames.slice(-3).map((frame) => [frame.headers[':event-type'], frame.payload])).toEqual([
      ['contentBlockStop', { contentBlockIndex: 0 }],
      ['messageStop', { stopReason: 'end_turn' }],
      [
        'metadata',
        {
          usage: { inputTokens: expect.any(Number), outputTokens: frames.length - 4, totalTokens: expect.any(Number) },
          metrics: { latencyMs: expect.any(Number) },
        },
      ],
    ]);
  });

  it('lists and resets invocations on the admin route', async () => {
    await post(emulator.url, '/model/m/converse', body('First'));
    const listed = await post(emulator.url, '/_emulator/invocations', '', 'GET');
    expect(JSON.parse(listed.body.toString())).toEqual({
      invocations: [
        {
          id: expect.any(Number),
          operation: 'converse',
          modelId: 'm',
          lastUserText: 'First',
          at: expect.any(String),
          httpVersion,
          outcome: 'completed',
          chunksSent: expect.any(Number),
        },
      ],
    });
    const reset = await post(emulator.url, '/_emulator/invocations', '', 'DELETE');
    expect(reset.status).toBe(200);
    expect(emulator.invocations()).toEqual([]);
  });
});

it('serves many HTTP/1.1 requests on one kept-alive connection', async () => {
  const agentless = await Promise.all([1, 2, 3].map((n) => postHttp1(emulator.url, '/model/m/converse', body(`n${n}`))));
  expect(agentless.map((response) => response.status)).toEqual([200, 200, 200]);
});
