import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_PARTITION } from '../../src/bff/audit/auditEntry.js';
import { readAuditItems } from '../../src/bff/audit/auditReader.js';
import { createDynamoClients } from '../../src/bff/store/dynamoClient.js';
import { chat, createSession } from '../support/sseClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const ACME = 'pk_acme_test_111111';
const PHI =
  'My name is Maria Gonzalez, born 03/14/1962, MRN 00482913, SSN 123-45-6789. Call me on (415) 555-0134 or ' +
  'email maria.gonzalez@example.com. I live at 1234 Oak Street, Springfield IL 62704.';
const IDENTIFIERS = ['Maria', 'Gonzalez', '03/14/1962', '00482913', '123-45-6789', '555-0134', 'maria.gonzalez@example.com', '1234 Oak Street', '62704'];
/** Message text of any kind stays out too: these only occur in the demo model's replies. */
const REPLY_TEXT = ['Amélie', 'Hélène', '🩺', '✓'];

describe('no PHI, message text or token in logs or audit entries, across the whole path', () => {
  const lines: string[] = [];
  let stack: TestStack;
  let state: { url: string; persistence: TestStack['runtime']['persistence'] };
  let session: Awaited<ReturnType<typeof createSession>>['body'];

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    stack = await startTestStack({ logDestination: destination, heartbeatMs: 50 });
    state = { url: stack.url, persistence: stack.runtime.persistence };
    session = (await createSession(stack.url, ACME, { origin: 'https://acme.example' })).body;
    const stream = session.tokens.stream.token;
    const manage = session.tokens.manage.token;
    const post = (pathname: string, body: string, token = stream) =>
      fetch(`${stack.url}${pathname}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });

    // A completed turn, then its summary and facts.
    const first = randomUUID();
    const reply = await chat(stack.url, { token: stream, messageId: first, text: `${PHI} I need a flu shot.` });
    await state.persistence.memory.afterTurn({ tenantId: 'acme', sessionId: session.sessionId, messageId: first, userText: `${PHI} I need a flu shot.`, replyText: reply.text });
    // A drop and a resume.
    const second = randomUUID();
    const dropped = await chat(stack.url, { token: stream, messageId: second, text: `${PHI} [fault:slow=5]`, dropAfterEvents: 3 });
    await chat(stack.url, { token: stream, messageId: second, text: `${PHI} [fault:slow=5]`, lastEventId: dropped.events.at(-1)!.id! });
    // A model failure mid-stream, and a stopped reply.
    await chat(stack.url, { token: stream, messageId: randomUUID(), text: `${PHI} [fault:error-after=3]` });
    const stopped = randomUUID();
    const slow = chat(stack.url, { token: stream, messageId: stopped, text: `${PHI} [fault:slow=30]` });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await post('/v1/chat/stop', JSON.stringify({ messageId: stopped }));
    await slow;
    // Bad input carrying PHI: a reused messageId with other text, malformed JSON, unknown fields, oversize text.
    await chat(stack.url, { token: stream, messageId: first, text: `Different: ${PHI}` });
    await post('/v1/chat', `{"messageId":"${randomUUID()}","text":"${PHI}"`);
    await post('/v1/chat', JSON.stringify({ messageId: randomUUID(), text: PHI, patientName: 'Maria Gonzalez' }));
    await post('/v1/chat', JSON.stringify({ messageId: randomUUID(), text: PHI.repeat(60) }));
    await post('/v1/sessions', JSON.stringify({ tenant: PHI }));
    // Tokens that are not tokens, and a token of the wrong purpose.
    await post('/v1/chat', JSON.stringify({ messageId: randomUUID(), text: PHI }), 'Maria.Gonzalez.00482913');
    await post('/v1/sessions/refresh', '{}', stream);
    // Reading and clearing the state.
    await fetch(`${state.url}/v1/state`, { headers: { authorization: `Bearer ${manage}` } });
    await fetch(`${state.url}/v1/state/clear`, { method: 'POST', headers: { authorization: `Bearer ${manage}`, origin: 'https://acme.example' } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('logged the path it took (the capture works)', () => {
    const all = lines.join('');
    expect(all).toContain('token rejected');
    expect(all).toContain('model failure');
  });

  it('logged none of the identifiers, message texts or tokens', () => {
    const all = lines.join('');
    for (const needle of [...IDENTIFIERS, ...REPLY_TEXT, session.tokens.stream.token, session.tokens.manage.token]) {
      expect(all, needle.slice(0, 20)).not.toContain(needle);
    }
  });

  it('wrote audit entries holding none of them either', async () => {
    const { raw, doc } = createDynamoClients({ region: 'us-east-1', url: stack.dynamoUrl });
    const entries: Record<string, unknown>[] = [];
    for (const partition of ['acme', SYSTEM_PARTITION]) {
      for await (const item of readAuditItems(doc, stack.config.tablePrefix, partition)) entries.push(item);
    }
    raw.destroy();
    expect(entries.some((entry) => entry.action === 'state.clear')).toBe(true);
    const all = JSON.stringify(entries);
    for (const needle of [...IDENTIFIERS, ...REPLY_TEXT, session.tokens.stream.token, session.tokens.manage.token, '127.0.0.1']) {
      expect(all, needle.slice(0, 20)).not.toContain(needle);
    }
  });
});
