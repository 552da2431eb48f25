import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedReply } from '../../src/local/bedrock/responder.js';
import { claimsOf } from '../support/forgeToken.js';
import { chat, createSession } from '../support/sseClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { ACME_KEY, BAYSIDE_KEY, bearer, expectError, modelCalls } from './support/attackKit.js';

interface Party {
  name: string;
  sessionId: string;
  stream: string;
  manage: string;
}

interface StateBody {
  sessionId: string;
  messages: Array<{ role: string; text: string; messageId: string; status?: string }>;
}

let stack: TestStack;
let a1: Party;
let b1: Party;
let a2: Party;
let b2: Party;

const A1_FIRST = { messageId: randomUUID(), text: 'What are your opening hours?' };
const A1_SECOND = { messageId: randomUUID(), text: 'Tell me about physiotherapy [fault:slow=15]' };
const B1_FIRST = { messageId: randomUUID(), text: 'Do you take walk-in patients on Saturdays?' };
const ATTACKER_TEXT = 'Which vaccines do you offer for travel?';
const TWIN_TEXT = 'Can I bring my child to the appointment?';
/** A1 turns added during the attacks, in order. */
const A1_EXTRA: Array<{ messageId: string; text: string }> = [];

async function party(name: string, embedKey: string): Promise<Party> {
  const { status, body } = await createSession(stack.url, embedKey);
  expect(status).toBe(201);
  return { name, sessionId: body.sessionId, stream: body.tokens.stream.token, manage: body.tokens.manage.token };
}

async function stateOf(who: Party, init: { query?: string; headers?: Record<string, string> } = {}): Promise<StateBody> {
  const response = await fetch(`${stack.url}/v1/state${init.query ?? ''}`, { headers: { ...bearer(who.manage), ...init.headers } });
  expect(response.status, `GET /v1/state as ${who.name}`).toBe(200);
  return (await response.json()) as StateBody;
}

async function send(who: Party, message: { messageId: string; text: string }): Promise<void> {
  const result = await chat(stack.url, { token: who.stream, ...message });
  expect(result.status).toBe(200);
  expect(result.text).toBe(expectedReply(message.text));
}

const completeTurn = (message: { messageId: string; text: string }) => [
  { role: 'user', text: message.text, messageId: message.messageId },
  { role: 'assistant', text: expectedReply(message.text), messageId: message.messageId, status: 'complete' },
];

/** Ids of the victims, planted everywhere a careless route might read them. */
const victimHeaders = () => ({ 'x-tenant-id': 'acme', 'x-session-id': a1.sessionId, 'x-picasso-session': a1.sessionId });
const victimQuery = () => `?sessionId=${a1.sessionId}&tenant=bayside&tenantId=acme&session=${b1.sessionId}`;

beforeAll(async () => {
  stack = await startTestStack({ tokenDelayMs: 0 });
  [a1, b1, a2, b2] = await Promise.all([
    party('A1', ACME_KEY),
    party('B1', BAYSIDE_KEY),
    party('A2', ACME_KEY),
    party('B2', BAYSIDE_KEY),
  ]);
  await send(a1, A1_FIRST);
  await send(b1, B1_FIRST);
}, 20_000);
afterAll(async () => stack?.close());

describe('a valid token of one session reaches nothing of another session or tenant', { timeout: 20_000 }, () => {
  it('GET /v1/state answers with the caller\'s own session whatever ids the query or headers name', async () => {
    for (const attacker of [a2, b1]) {
      const own = await stateOf(attacker);
      const probed = await stateOf(attacker, { query: victimQuery(), headers: victimHeaders() });
      // The summary is written in the background after a turn, so only the rest is compared.
      expect(probed.sessionId).toBe(attacker.sessionId);
      expect(probed.messages).toEqual(own.messages);
      expect(JSON.stringify(probed)).not.toContain(A1_FIRST.text);
      expect(JSON.stringify(probed)).not.toContain(a1.sessionId);
    }
  });

  it('POST /v1/sessions/refresh renews only the caller\'s own session whatever ids are sent', async () => {
    for (const attacker of [a2, b1]) {
      const response = await fetch(`${stack.url}/v1/sessions/refresh${victimQuery()}`, {
        method: 'POST',
        headers: { ...bearer(attacker.manage), ...victimHeaders() },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { sessionId: string; tokens: { stream: { token: string }; manage: { token: string } } };
      expect(body.sessionId).toBe(attacker.sessionId);
      for (const token of [body.tokens.stream.token, body.tokens.manage.token]) {
        expect(claimsOf(token)).toMatchObject({ sub: attacker.sessionId, tid: claimsOf(attacker.manage).tid });
      }
    }
  });

  it('POST /v1/state/clear naming another session or tenant in body, query or headers leaves it intact', async () => {
    for (const attacker of [a2, b2]) {
      const response = await fetch(`${stack.url}/v1/state/clear${victimQuery()}`, {
        method: 'POST',
        headers: { ...bearer(attacker.manage), ...victimHeaders(), 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId: a1.sessionId, tenantId: 'acme', tenant: ACME_KEY }),
      });
      // Refused as unknown fields, or ignored and applied to the caller's own (empty) session.
      expect([200, 400], `clear as ${attacker.name}`).toContain(response.status);
      const body = (await response.json()) as { cleared?: { messages: number } };
      if (response.status === 200) expect(body.cleared?.messages).toBe(0);
      expect((await stateOf(a1)).messages).toEqual(completeTurn(A1_FIRST).map((m) => expect.objectContaining(m)));
      expect((await stateOf(b1)).messages).toEqual(completeTurn(B1_FIRST).map((m) => expect.objectContaining(m)));
    }
  });

  it('resuming A1\'s messageId with Last-Event-ID from another session starts a new turn there, never replays A1', async () => {
    const victimReply = expectedReply(A1_FIRST.text);
    expect(expectedReply(ATTACKER_TEXT)).not.toBe(victimReply);
    for (const attacker of [a2, b2]) {
      // Another text: the attacker gets its own reply, not A1's.
      const before = modelCalls(stack);
      const result = await chat(stack.url, {
        token: attacker.stream,
        messageId: A1_FIRST.messageId,
        text: ATTACKER_TEXT,
        lastEventId: '1',
        headers: victimHeaders(),
      });
      expect(result.status, `resume as ${attacker.name}`).toBe(200);
      expect(result.events.at(-1)?.event).toBe('done');
      const streamed = result.events.map((event) => event.data).join('');
      expect(streamed).not.toContain(A1_FIRST.text);
      expect(victimReply.endsWith(result.text)).toBe(false);
      expect(expectedReply(ATTACKER_TEXT).endsWith(result.text)).toBe(true);
      expect(modelCalls(stack)).toBe(before + 1);

      // A1's own text: indistinguishable by content, so prove it was generated anew, not replayed.
      const twinId = randomUUID();
      await send(a1, { messageId: twinId, text: TWIN_TEXT });
      const beforeTwin = modelCalls(stack);
      const twin = await chat(stack.url, { token: attacker.stream, messageId: twinId, text: TWIN_TEXT, lastEventId: '2' });
      expect(twin.status).toBe(200);
      expect(modelCalls(stack)).toBe(beforeTwin + 1);
      const attackerState = await stateOf(attacker);
      expect(attackerState.messages.filter((m) => m.messageId === twinId).map((m) => m.role)).toEqual(['user', 'assistant']);
      A1_EXTRA.push({ messageId: twinId, text: TWIN_TEXT });
    }
  });

  it('refuses chat bodies that try to name the session or tenant (400 unknown fields)', async () => {
    const before = modelCalls(stack);
    for (const attacker of [a2, b2]) {
      const response = await fetch(`${stack.url}/v1/chat`, {
        method: 'POST',
        headers: { ...bearer(attacker.stream), 'content-type': 'application/json' },
        body: JSON.stringify({ messageId: randomUUID(), text: 'hello', sessionId: a1.sessionId, tenantId: 'acme' }),
      });
      await expectError(response, 400, 'validation_failed', attacker.name);
    }
    expect(modelCalls(stack)).toBe(before);
  });

  it('POST /v1/chat/stop on A1\'s running message from another session is 404 and A1 completes', async () => {
    const first = await chat(stack.url, { token: a1.stream, ...A1_SECOND, dropAfterEvents: 2 });
    expect(first.status).toBe(200);
    for (const attacker of [a2, b1, b2]) {
      const response = await fetch(`${stack.url}/v1/chat/stop${victimQuery()}`, {
        method: 'POST',
        headers: { ...bearer(attacker.stream), ...victimHeaders(), 'content-type': 'application/json' },
        body: JSON.stringify({ messageId: A1_SECOND.messageId }),
      });
      await expectError(response, 404, 'not_found', `stop as ${attacker.name}`);
    }
    // The refusals happened while A1's reply was still being generated.
    expect(stack.runtime.chat.running().length).toBeGreaterThan(0);
    const rest = await chat(stack.url, { token: a1.stream, ...A1_SECOND, lastEventId: first.events.at(-1)!.id! });
    expect(first.text + rest.text).toBe(expectedReply(A1_SECOND.text));
    expect(JSON.parse(rest.events.at(-1)!.data)).toMatchObject({ messageId: A1_SECOND.messageId, stopReason: 'end_turn' });
  });

  it('after every attempt A1 and B1 are intact and complete', async () => {
    const a1State = await stateOf(a1);
    expect(a1State.sessionId).toBe(a1.sessionId);
    const a1Expected = [A1_FIRST, ...A1_EXTRA, A1_SECOND].flatMap(completeTurn);
    expect(a1State.messages).toEqual(a1Expected.map((m) => expect.objectContaining(m)));
    const b1State = await stateOf(b1);
    expect(b1State.sessionId).toBe(b1.sessionId);
    expect(b1State.messages).toEqual(completeTurn(B1_FIRST).map((m) => expect.objectContaining(m)));
  });
});
