import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditItems } from '../../src/bff/audit/auditReader.js';
import { verifyChain } from '../../src/bff/audit/verifyChain.js';
import { createDynamoClients } from '../../src/bff/store/dynamoClient.js';
import { ALL_TABLES } from '../../src/bff/store/tables.js';
import { chat, createSession } from '../support/sseClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const ACME = 'pk_acme_test_111111';
const PHI_TEXT =
  'Hi, my name is Maria Gonzalez, born 03/14/1962, MRN 00482913. Please contact me by email at maria.gonzalez@example.com ' +
  'or call (415) 555-0134. I need a flu shot.';
const IDENTIFIERS = ['Maria', 'Gonzalez', '03/14/1962', '00482913', 'maria.gonzalez@example.com', '555-0134'];

interface StateBody {
  sessionId: string;
  messages: Array<{ role: string; text: string; at: string; messageId: string; status?: string }>;
  summary: string | null;
  facts: Array<{ kind: string; value: string; sourceMessageId: string; at: string }>;
}

describe('GET /v1/state and POST /v1/state/clear over HTTP, with dynalite and the Bedrock emulator', () => {
  let stack: TestStack;
  let state: { url: string; persistence: TestStack['runtime']['persistence'] };
  let dynamo: ReturnType<typeof createDynamoClients>;

  beforeAll(async () => {
    stack = await startTestStack();
    state = { url: stack.url, persistence: stack.runtime.persistence };
    dynamo = createDynamoClients({ region: 'us-east-1', url: stack.dynamoUrl });
  });
  afterAll(async () => {
    dynamo?.raw.destroy();
    await stack?.close();
  });

  async function session() {
    const { status, body } = await createSession(stack.url, ACME);
    expect(status).toBe(201);
    return body;
  }
  type Session = Awaited<ReturnType<typeof session>>;

  /** One completed turn, then what the chat path hands the memory once the reply is stored. */
  async function turn(s: Session, text: string) {
    const messageId = randomUUID();
    const result = await chat(stack.url, { token: s.tokens.stream.token, messageId, text });
    expect(result.events.at(-1)?.event).toBe('done');
    await state.persistence.memory.afterTurn({ tenantId: 'acme', sessionId: s.sessionId, messageId, userText: text, replyText: result.text });
    return { messageId, reply: result.text };
  }

  const getState = async (token: string) => fetch(`${state.url}/v1/state`, { headers: { authorization: `Bearer ${token}` } });
  const readState = async (s: Session) => (await (await getState(s.tokens.manage.token)).json()) as StateBody;
  const clear = (token?: string) =>
    fetch(`${state.url}/v1/state/clear`, { method: 'POST', headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  /** Every stored item of the session, in every table, expired or not. */
  async function storedItems(sessionId: string): Promise<string[]> {
    const found: string[] = [];
    for (const table of ALL_TABLES) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await dynamo.doc.send(new ScanCommand({ TableName: `${stack.config.tablePrefix}${table.name}`, ExclusiveStartKey: startKey }));
        for (const item of page.Items ?? []) {
          if (String(item.pk).startsWith(`acme#${sessionId}`)) found.push(`${table.name}:${String(item.pk)}`);
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return found;
  }

  /** The clear entries of one session (minting and other events are audited too). */
  async function auditOf(sessionId: string) {
    const entries: Record<string, unknown>[] = [];
    for await (const item of readAuditItems(dynamo.doc, stack.config.tablePrefix, 'acme')) if (item.sessionId === sessionId && item.action === 'state.clear') entries.push(item);
    return entries;
  }

  it('returns the transcript in the contract shape, with no summary or facts before any turn completed', async () => {
    const s = await session();
    const text = 'What are your opening hours?';
    const messageId = randomUUID();
    const reply = await chat(stack.url, { token: s.tokens.stream.token, messageId, text });
    const response = await getState(s.tokens.manage.token);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as StateBody;
    expect(body.sessionId).toBe(s.sessionId);
    expect(body.messages).toEqual([
      { role: 'user', text, at: expect.stringMatching(/Z$/), messageId },
      { role: 'assistant', text: reply.text, at: expect.stringMatching(/Z$/), messageId, status: 'complete' },
    ]);
    expect(body.summary).toBeNull();
    expect(body.facts).toEqual([]);
  });

  it('after a completed turn holds a summary and facts with none of the identifiers the user typed or the model wrote', async () => {
    const s = await session();
    const { messageId, reply } = await turn(s, PHI_TEXT);
    // The demo model's replies name a clinician; the summary it writes must lose that name too.
    expect(reply).toMatch(/Dr\. (Amélie Laurent|Hélène Martin)/);
    const body = await readState(s);
    expect(typeof body.summary).toBe('string');
    expect(body.summary!.length).toBeGreaterThan(0);
    for (const identifier of [...IDENTIFIERS, 'Laurent', 'Hélène Martin']) {
      expect(body.summary).not.toContain(identifier);
      expect(JSON.stringify(body.facts)).not.toContain(identifier);
    }
    expect(body.facts.map((f) => `${f.kind}=${f.value}`).sort()).toEqual([
      'preferred_contact_channel=email',
      'requested_service=vaccination',
      'topic=vaccination',
    ]);
    expect(body.facts.every((f) => f.sourceMessageId === messageId)).toBe(true);
  });

  it('clear removes every item of the session in every table, reports the counts and is audited first', async () => {
    const s = await session();
    await turn(s, 'I need a flu shot');
    await turn(s, 'Please contact me by email');
    expect((await storedItems(s.sessionId)).length).toBeGreaterThan(4);
    const response = await clear(s.tokens.manage.token);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { cleared: Record<string, number>; auditId: string };
    expect(body.cleared).toEqual({ messages: 4, summaries: 1, facts: 3 });
    expect(await storedItems(s.sessionId)).toEqual([]);
    expect(await readState(s)).toEqual({ sessionId: s.sessionId, messages: [], summary: null, facts: [] });
    const [intent, outcome] = await auditOf(s.sessionId);
    expect(intent).toMatchObject({ action: 'state.clear', outcome: 'pending', auditId: body.auditId });
    expect(outcome).toMatchObject({ outcome: 'success', detail: { relatedAuditId: body.auditId } });
    expect(await verifyChain('acme', readAuditItems(dynamo.doc, stack.config.tablePrefix, 'acme'))).toMatchObject({ ok: true });
  });

  it('a second clear reports zeros and is audited again', async () => {
    const s = await session();
    await turn(s, 'Do you offer physiotherapy?');
    await clear(s.tokens.manage.token);
    const again = await clear(s.tokens.manage.token);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { cleared: unknown }).cleared).toEqual({ messages: 0, summaries: 0, facts: 0 });
    expect((await auditOf(s.sessionId)).map((e) => e.outcome)).toEqual(['pending', 'success', 'pending', 'success']);
  });

  it("clears only the caller's session", async () => {
    const [mine, theirs] = [await session(), await session()];
    await turn(mine, 'I need a flu shot');
    await turn(theirs, 'I need a flu shot');
    await clear(mine.tokens.manage.token);
    expect((await readState(theirs)).messages).toHaveLength(2);
    expect((await readState(theirs)).summary).not.toBeNull();
  });

  it('refuses a clear without a manage token (401) or with a stream token (403), deleting nothing', async () => {
    const s = await session();
    await turn(s, 'What are your opening hours?');
    const before = await storedItems(s.sessionId);
    const none = await clear();
    expect(none.status).toBe(401);
    const stream = await clear(s.tokens.stream.token);
    expect(stream.status).toBe(403);
    expect(((await stream.json()) as { error: { code: string } }).error.code).toBe('wrong_token_purpose');
    expect(await storedItems(s.sessionId)).toEqual(before);
  });

  it('a clear during a streaming reply stops it and leaves nothing of the turn behind', async () => {
    const s = await session();
    const messageId = randomUUID();
    const streaming = chat(stack.url, { token: s.tokens.stream.token, messageId, text: 'Tell me about dental care [fault:slow=40]' });
    for (let i = 0; i < 100 && (await readState(s)).messages.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const response = await clear(s.tokens.manage.token);
    expect(response.status).toBe(200);
    const result = await streaming;
    expect(JSON.parse(result.events.at(-1)!.data)).toMatchObject({ stopReason: 'stopped' });
    expect(await storedItems(s.sessionId)).toEqual([]);
  });
});
