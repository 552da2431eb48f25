import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditItems } from '../../src/bff/audit/auditReader.js';
import { verifyChain } from '../../src/bff/audit/verifyChain.js';
import { createDynamoClients } from '../../src/bff/store/dynamoClient.js';
import { startBedrockEmulator, type BedrockEmulator } from '../../src/local/bedrock/server.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../src/local/dynamo.js';
import { chat, createSession } from '../support/sseClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const ACME = 'pk_acme_test_111111';

/**
 * The storage server is stopped mid-run and started again on the same data directory and port:
 * while it is down nothing may be accepted unrecorded or deleted unaudited, and afterwards
 * everything stored before it went down must still be there.
 */
describe('fail closed when storage goes away', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'picasso-failclosed-'));
  let dynamo: EmbeddedDynamo;
  let port: number;
  let emulator: BedrockEmulator;
  let stack: TestStack;
  let state: { url: string; persistence: TestStack['runtime']['persistence'] };
  let session: Awaited<ReturnType<typeof createSession>>['body'];
  let before: unknown;
  let auditBefore: number;

  const getState = () => fetch(`${state.url}/v1/state`, { headers: { authorization: `Bearer ${session.tokens.manage.token}` } });
  const clear = () => fetch(`${state.url}/v1/state/clear`, { method: 'POST', headers: { authorization: `Bearer ${session.tokens.manage.token}` } });
  async function auditChain() {
    const { raw, doc } = createDynamoClients({ region: 'us-east-1', url: dynamo.url });
    try {
      return await verifyChain('acme', readAuditItems(doc, stack.config.tablePrefix, 'acme'));
    } finally {
      raw.destroy();
    }
  }

  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo({ dataDir });
    port = Number(new URL(dynamo.url).port);
    emulator = await startBedrockEmulator({ port: 0, tokenDelayMs: 1 });
    stack = await startTestStack({ shared: { dynamoUrl: dynamo.url, emulator, dataDir } });
    state = { url: stack.url, persistence: stack.runtime.persistence };
    session = (await createSession(stack.url, ACME)).body;
    const text = 'I need a flu shot, please contact me by email';
    const messageId = randomUUID();
    const reply = await chat(stack.url, { token: session.tokens.stream.token, messageId, text });
    if (reply.status !== 200) throw new Error(`chat answered ${reply.status}`);
    // The turn's summary and facts are made after its reply has ended, off the streaming path:
    // the state is taken once they are all stored, or a late summary would differ from it.
    for (let attempt = 0; ((await (await getState()).json()) as { summary: string | null }).summary === null; attempt++) {
      if (attempt > 400) throw new Error('the turn got no summary');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await state.persistence.memory.idle('acme', session.sessionId);
    // One clear of another session, so the chain has entries to keep intact.
    const other = (await createSession(stack.url, ACME)).body;
    await fetch(`${state.url}/v1/state/clear`, { method: 'POST', headers: { authorization: `Bearer ${other.tokens.manage.token}` } });
    before = await (await getState()).json();
    const chain = await auditChain();
    if (!chain.ok) throw new Error('audit chain broken before the test');
    auditBefore = chain.entries;
    await dynamo.close();
  });

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
    await dynamo?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a clear with 503 storage_unavailable: its audit entry cannot be written, so it does not happen', async () => {
    const response = await clear();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: { code: 'storage_unavailable', message: expect.any(String) } });
    expect(response.headers.get('retry-after')).not.toBeNull();
  });

  it('refuses a chat with a 503 storage_unavailable JSON error instead of streaming an unrecorded reply', async () => {
    emulator.resetInvocations();
    const result = await chat(stack.url, { token: session.tokens.stream.token, messageId: randomUUID(), text: 'Are you open on Saturday?' });
    expect(result.status).toBe(503);
    expect(result.headers.get('content-type')).toMatch(/^application\/json/);
    expect(result.body).toEqual({ error: { code: 'storage_unavailable', message: expect.any(String) } });
    expect(emulator.invocations()).toHaveLength(0);
  });

  it('answers GET /v1/state with 503 rather than an empty transcript', async () => {
    const response = await getState();
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');
  });

  it('after a restart on the same directory and port, everything stored before is there and the chain is unbroken', async () => {
    dynamo = await startEmbeddedDynamo({ dataDir, port });
    expect(dynamo.url).toBe(`http://127.0.0.1:${port}`);
    const response = await getState();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(before);
    expect(await auditChain()).toMatchObject({ ok: true, entries: auditBefore });
    const cleared = await clear();
    expect(cleared.status).toBe(200);
    expect(((await cleared.json()) as { cleared: unknown }).cleared).toEqual({ messages: 2, summaries: 1, facts: 3 });
    expect(await auditChain()).toMatchObject({ ok: true, entries: auditBefore + 2 });
  });
});
