import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedReply } from '../../src/local/bedrock/responder.js';
import { chat, createSession } from '../support/sseClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const ACME = 'pk_acme_test_111111';

const postStop = (url: string, token: string, messageId: string) =>
  fetch(`${url}/v1/chat/stop`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messageId }),
  });

describe('POST /v1/chat against the real app, dynalite and the Bedrock emulator', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ heartbeatMs: 50 });
  });
  afterAll(async () => stack?.close());

  async function session() {
    const { status, body } = await createSession(stack.url, ACME);
    expect(status).toBe(201);
    return body;
  }

  it('streams the model reply as delta events with increasing ids, then done', async () => {
    const s = await session();
    const text = 'What are your opening hours?';
    const messageId = randomUUID();
    const result = await chat(stack.url, { token: s.tokens.stream.token, messageId, text });
    expect(result.status).toBe(200);
    expect(result.text).toBe(expectedReply(text));
    const ids = result.events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    const last = result.events.at(-1)!;
    expect(last.event).toBe('done');
    expect(JSON.parse(last.data)).toEqual({ messageId, stopReason: 'end_turn' });
  });

  it('stores the user message and the reply, visible through GET /v1/state', async () => {
    const s = await session();
    const text = 'Do you offer flu vaccinations?';
    await chat(stack.url, { token: s.tokens.stream.token, messageId: randomUUID(), text });
    const state = await fetch(`${stack.url}/v1/state`, { headers: { authorization: `Bearer ${s.tokens.manage.token}` } });
    expect(state.status).toBe(200);
    const body = (await state.json()) as { sessionId: string; messages: Array<{ role: string; text: string }> };
    expect(body.sessionId).toBe(s.sessionId);
    expect(body.messages.map((m) => [m.role, m.text])).toEqual([
      ['user', text],
      ['assistant', expectedReply(text)],
    ]);
  });

  it('resumes after a drop with Last-Event-ID: no lost or duplicated text, one model call', async () => {
    const s = await session();
    const text = 'Tell me about physiotherapy [fault:slow=5]';
    const messageId = randomUUID();
    stack.emulator.resetInvocations();
    const first = await chat(stack.url, { token: s.tokens.stream.token, messageId, text, dropAfterEvents: 4 });
    expect(first.events.length).toBeGreaterThanOrEqual(4);
    const lastId = first.events.at(-1)!.id!;
    const resumed = await chat(stack.url, { token: s.tokens.stream.token, messageId, text, lastEventId: lastId });
    expect(Number(resumed.events[0]!.id)).toBe(Number(lastId) + 1);
    expect(first.text + resumed.text).toBe(expectedReply(text));
    expect(stack.emulator.invocations().filter((i) => i.operation === 'converse-stream')).toHaveLength(1);
  });

  it('keeps generating with no client attached, and a later request replays the whole reply', async () => {
    const s = await session();
    const text = 'Where do I park? [fault:slow=3]';
    const messageId = randomUUID();
    await chat(stack.url, { token: s.tokens.stream.token, messageId, text, dropAfterEvents: 1 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const again = await chat(stack.url, { token: s.tokens.stream.token, messageId, text });
    expect(again.text).toBe(expectedReply(text));
    expect(again.events.at(-1)!.event).toBe('done');
  });

  it('invokes the model once when the same message is posted twice at the same time', async () => {
    const s = await session();
    const text = 'Can I bring my child? [fault:slow=2]';
    const messageId = randomUUID();
    stack.emulator.resetInvocations();
    const [a, b] = await Promise.all([
      chat(stack.url, { token: s.tokens.stream.token, messageId, text }),
      chat(stack.url, { token: s.tokens.stream.token, messageId, text }),
    ]);
    expect(a.text).toBe(expectedReply(text));
    expect(b.text).toBe(expectedReply(text));
    expect(stack.emulator.invocations().filter((i) => i.operation === 'converse-stream')).toHaveLength(1);
  });

  it('refuses to reuse a messageId for another text (409)', async () => {
    const s = await session();
    const messageId = randomUUID();
    await chat(stack.url, { token: s.tokens.stream.token, messageId, text: 'first' });
    const other = await chat(stack.url, { token: s.tokens.stream.token, messageId, text: 'second' });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ error: { code: 'message_conflict' } });
  });

  it('sends comment heartbeats while the model is slow', async () => {
    const s = await session();
    const result = await chat(stack.url, { token: s.tokens.stream.token, messageId: randomUUID(), text: 'Slow one [fault:slow=60] [fault:long=6]' });
    expect(result.comments.filter((c) => c === 'ping').length).toBeGreaterThan(0);
  });

  it('ends with a retryable error event when the model fails mid-stream, keeping what was said', async () => {
    const s = await session();
    const text = 'Break please [fault:error-after=3]';
    const result = await chat(stack.url, { token: s.tokens.stream.token, messageId: randomUUID(), text });
    const last = result.events.at(-1)!;
    expect(last.event).toBe('error');
    expect(JSON.parse(last.data)).toMatchObject({ code: 'model_error', retryable: true });
    expect(result.events.filter((e) => e.event === 'delta')).toHaveLength(3);
  });

  it('reports throttling before the stream as a retryable model_throttled error', async () => {
    const s = await session();
    const result = await chat(stack.url, { token: s.tokens.stream.token, messageId: randomUUID(), text: 'Busy [fault:throttle]' });
    expect(JSON.parse(result.events.at(-1)!.data)).toMatchObject({ code: 'model_throttled', retryable: true });
  });

  it('stops a generation on POST /v1/chat/stop and stores exactly what was generated', async () => {
    const s = await session();
    const text = 'A long answer please [fault:slow=20] [fault:long=200]';
    const messageId = randomUUID();
    const streaming = chat(stack.url, { token: s.tokens.stream.token, messageId, text });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const stop = await postStop(stack.url, s.tokens.stream.token, messageId);
    expect(stop.status).toBe(200);
    const result = await streaming;
    expect(JSON.parse(result.events.at(-1)!.data)).toEqual({ messageId, stopReason: 'stopped' });
    expect(result.text.length).toBeLessThan(expectedReply(text).length);
    expect(expectedReply(text).startsWith(result.text)).toBe(true);
    const state = (await (
      await fetch(`${stack.url}/v1/state`, { headers: { authorization: `Bearer ${s.tokens.manage.token}` } })
    ).json()) as { messages: Array<{ role: string; text: string }> };
    expect(state.messages.at(-1)).toMatchObject({ role: 'assistant', text: result.text });
    const resumed = await chat(stack.url, { token: s.tokens.stream.token, messageId, text, lastEventId: '1' });
    expect(JSON.parse(resumed.events.at(-1)!.data)).toMatchObject({ stopReason: 'stopped' });
  });
});

describe('two BFF processes on one storage', () => {
  let owner: TestStack;
  let other: TestStack;
  beforeAll(async () => {
    owner = await startTestStack();
    other = await startTestStack({ shared: { dynamoUrl: owner.dynamoUrl, emulator: owner.emulator, dataDir: owner.config.dataDir } });
  });
  afterAll(async () => {
    await other?.close();
    await owner?.close();
  });

  it('a stop sent to the other process reaches the generation through its owner\'s record', async () => {
    const { body: s } = await createSession(owner.url, ACME);
    const text = `A very long answer please ${randomUUID().slice(0, 8)} [fault:slow=20] [fault:long=600]`;
    const messageId = randomUUID();
    const streaming = chat(owner.url, { token: s.tokens.stream.token, messageId, text });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stop = await postStop(other.url, s.tokens.stream.token, messageId);
    expect(stop.status).toBe(200);
    const result = await streaming;
    expect(JSON.parse(result.events.at(-1)!.data)).toEqual({ messageId, stopReason: 'stopped' });
    // 600 chunks 20 ms apart take 12 s; the owner acts on the request within a third of its lease.
    expect(result.text.length).toBeLessThan(expectedReply(text).length / 2);
    expect(expectedReply(text).startsWith(result.text)).toBe(true);
  }, 20_000);
});
