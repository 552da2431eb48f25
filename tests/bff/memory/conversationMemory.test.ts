import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatModel, ModelRequest } from '../../../src/bff/model/chatModel.js';
import { createConversationMemory, type ConversationMemoryDeps } from '../../../src/bff/memory/conversationMemory.js';
import { createLogger } from '../../../src/bff/observability/logger.js';
import { createDynamoClients } from '../../../src/bff/store/dynamoClient.js';
import { FactStore } from '../../../src/bff/store/factStore.js';
import { SummaryStore } from '../../../src/bff/store/summaryStore.js';
import { freshTenant, manualClock, startStorage, type TestStorage } from '../store/support/storage.js';

const PHI_MESSAGE =
  'My name is Maria Gonzalez, born 03/14/1962, MRN 00482913, phone (415) 555-0134, email maria.gonzalez@example.com. ' +
  'I live at 1234 Oak Street, Springfield IL 62704. I need a flu shot and prefer email.';
const IDENTIFIERS = ['Maria', 'Gonzalez', '03/14/1962', '00482913', '555-0134', 'maria.gonzalez@example.com', '1234 Oak Street', '62704'];

/** A model that answers what the test says and remembers what it was asked. */
function scriptedModel(answer: (request: ModelRequest) => string | Promise<string>) {
  const requests: ModelRequest[] = [];
  const model: ChatModel = {
    stream: () => {
      throw new Error('not used by memory');
    },
    complete: async (request) => {
      requests.push(request);
      return answer(request);
    },
  };
  return { model, requests };
}

function capturedLog() {
  const lines: string[] = [];
  const log = createLogger(
    'trace',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  return { log, text: () => lines.join('') };
}

describe('conversation memory on embedded DynamoDB', () => {
  let storage: TestStorage;
  const clock = manualClock();
  let summaries: SummaryStore;
  let facts: FactStore;

  beforeAll(async () => {
    storage = await startStorage();
    summaries = new SummaryStore(storage.doc, storage.prefix, clock);
    facts = new FactStore(storage.doc, storage.prefix, clock);
  });
  afterAll(async () => storage?.close());

  const memoryWith = (model: ChatModel, extra: Partial<ConversationMemoryDeps> = {}) => {
    const captured = capturedLog();
    const memory = createConversationMemory({ model, summaries, facts, clock, log: captured.log, modelId: 'summary-model', ...extra });
    return { memory, logText: captured.text };
  };
  const turn = (tenantId: string, messageId: string, userText: string, replyText = 'Our clinic offers flu shots on weekdays.') => ({
    tenantId,
    sessionId: 'session-1',
    messageId,
    userText,
    replyText,
  });

  it('stores a redacted summary even when the model repeats every identifier it was given', async () => {
    const tenantId = freshTenant();
    const { model, requests } = scriptedModel(() => `Summary: ${PHI_MESSAGE} The patient, Maria Gonzalez (maria.gonzalez@example.com), wants a flu shot.`);
    const { memory } = memoryWith(model);
    await memory.afterTurn(turn(tenantId, 'm1', PHI_MESSAGE));
    const stored = await summaries.get(tenantId, 'session-1');
    expect(stored?.text).toContain('flu shot');
    for (const identifier of IDENTIFIERS) expect(stored?.text).not.toContain(identifier);
    expect(stored).toMatchObject({ sourceMessageId: 'm1', turns: 1 });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.modelId).toBe('summary-model');
  });

  it('never hands the summariser the identifiers in the user text', async () => {
    const tenantId = freshTenant();
    const { model, requests } = scriptedModel(() => 'A patient asked about flu shots.');
    const { memory } = memoryWith(model);
    await memory.afterTurn(turn(tenantId, 'm1', PHI_MESSAGE, 'Hello Maria Gonzalez, we can call (415) 555-0134.'));
    const sent = JSON.stringify(requests[0]);
    for (const identifier of IDENTIFIERS) expect(sent).not.toContain(identifier);
    expect(sent).toContain('flu shot');
  });

  it('feeds the previous summary into the next update and counts the turns', async () => {
    const tenantId = freshTenant();
    const { model, requests } = scriptedModel((request) => `summary after ${requests.length} turns`);
    const { memory } = memoryWith(model);
    await memory.afterTurn(turn(tenantId, 'm1', 'What are your opening hours?'));
    clock.advance(1000);
    await memory.afterTurn(turn(tenantId, 'm2', 'Do you do physio?'));
    expect(requests[1]!.messages[0]!.text).toContain('summary after 1 turns');
    expect(await summaries.get(tenantId, 'session-1')).toMatchObject({ text: 'summary after 2 turns', turns: 2, sourceMessageId: 'm2' });
  });

  it('appends structured facts from the user text, never identifiers, once per message however often it runs', async () => {
    const tenantId = freshTenant();
    const { model } = scriptedModel(() => 'summary');
    const { memory } = memoryWith(model);
    await memory.afterTurn(turn(tenantId, 'm1', PHI_MESSAGE));
    await memory.afterTurn(turn(tenantId, 'm1', PHI_MESSAGE));
    const ledger = await facts.list(tenantId, 'session-1');
    expect(ledger.map((f) => `${f.kind}=${f.value}`).sort()).toEqual([
      'preferred_contact_channel=email',
      'requested_service=vaccination',
      'topic=vaccination',
    ]);
    expect(ledger.every((f) => f.sourceMessageId === 'm1')).toBe(true);
    for (const identifier of IDENTIFIERS) expect(JSON.stringify(ledger)).not.toContain(identifier);
  });

  it('gives the next turn its summary and facts through contextFor', async () => {
    const tenantId = freshTenant();
    const { model } = scriptedModel(() => 'Asked about flu shots; prefers email.');
    const { memory } = memoryWith(model);
    await memory.afterTurn(turn(tenantId, 'm1', 'I need a flu shot, contact me by email'));
    const context = await memory.contextFor(tenantId, 'session-1');
    expect(context.summary).toBe('Asked about flu shots; prefers email.');
    expect(context.facts.map((f) => f.value)).toContain('email');
  });

  it('writes nothing for a turn that is no longer stored (its session was cleared meanwhile)', async () => {
    const tenantId = freshTenant();
    const { model } = scriptedModel(() => 'summary');
    const { memory } = memoryWith(model, { turnExists: async () => false });
    await memory.afterTurn(turn(tenantId, 'm1', 'I need a flu shot'));
    expect(await summaries.get(tenantId, 'session-1')).toBeUndefined();
    expect(await facts.list(tenantId, 'session-1')).toEqual([]);
  });

  it('never rejects: a failing model is counted and logged without any content, and facts still land', async () => {
    const tenantId = freshTenant();
    const failures: string[] = [];
    const { model } = scriptedModel(() => {
      throw new Error(`model choked on ${PHI_MESSAGE}`);
    });
    const { memory, logText } = memoryWith(model, { onFailure: (stage) => failures.push(stage) });
    await expect(memory.afterTurn(turn(tenantId, 'm1', PHI_MESSAGE))).resolves.toBeUndefined();
    expect(failures).toEqual(['summary']);
    expect(memory.failures()).toBe(1);
    expect(logText()).toContain('conversation memory update failed');
    for (const identifier of IDENTIFIERS) expect(logText()).not.toContain(identifier);
    expect((await facts.list(tenantId, 'session-1')).length).toBeGreaterThan(0);
  });

  it('answers contextFor with an empty context when storage is down, counting the failure', async () => {
    const { raw, doc } = createDynamoClients({ region: 'us-east-1', url: 'http://127.0.0.1:9' });
    const { model } = scriptedModel(() => 'summary');
    const captured = capturedLog();
    const memory = createConversationMemory({
      model,
      summaries: new SummaryStore(doc, storage.prefix, clock),
      facts: new FactStore(doc, storage.prefix, clock),
      clock,
      log: captured.log,
      modelId: 'm',
    });
    expect(await memory.contextFor('acme', 'session-1')).toEqual({ facts: [] });
    expect(memory.failures()).toBe(1);
    raw.destroy();
  });

  it('hides a summary and facts once their retention has passed, before any deletion', async () => {
    const tenantId = freshTenant();
    const { model } = scriptedModel(() => 'summary');
    const { memory } = memoryWith(model);
    await memory.afterTurn(turn(tenantId, 'm1', 'I need a flu shot'));
    clock.advance(7 * 24 * 3600 * 1000 + 1000);
    expect(await memory.contextFor(tenantId, 'session-1')).toEqual({ facts: [], basis: { stored: undefined, readAt: clock() } });
  });

  describe('the summary a turn updates', () => {
    /** The summary store of these tests, counting its reads. */
    const countingSummaries = () => {
      const store = new SummaryStore(storage.doc, storage.prefix, clock);
      const reads = { count: 0 };
      const get = store.get.bind(store);
      store.get = (tenantId, sessionId) => {
        reads.count += 1;
        return get(tenantId, sessionId);
      };
      return { store, reads };
    };

    it("is the one the turn's context was read with: it is not read a second time", async () => {
      const tenantId = freshTenant();
      const { model, requests } = scriptedModel(() => `summary ${requests.length}`);
      const { store, reads } = countingSummaries();
      const { memory } = memoryWith(model, { summaries: store });
      await memory.afterTurn(turn(tenantId, 'm1', 'What are your opening hours?'));
      clock.advance(1000);
      const context = await memory.contextFor(tenantId, 'session-1');
      clock.advance(1000);
      const readsBefore = reads.count;
      await memory.afterTurn({ ...turn(tenantId, 'm2', 'Do you do physio?'), basis: context.basis });
      expect(reads.count - readsBefore).toBe(0);
      expect(requests[1]!.messages[0]!.text).toContain('summary 1');
      expect(await store.get(tenantId, 'session-1')).toMatchObject({ text: 'summary 2', turns: 2, sourceMessageId: 'm2' });
    });

    it('is read again when this process stored a newer one after that context was read', async () => {
      const tenantId = freshTenant();
      const { model, requests } = scriptedModel(() => `summary ${requests.length}`);
      const { store, reads } = countingSummaries();
      const { memory } = memoryWith(model, { summaries: store });
      // The second turn starts while the first one's summary is still being made.
      const secondTurnContext = await memory.contextFor(tenantId, 'session-1');
      clock.advance(1000);
      await memory.afterTurn(turn(tenantId, 'm1', 'What are your opening hours?'));
      clock.advance(1000);
      const readsBefore = reads.count;
      await memory.afterTurn({ ...turn(tenantId, 'm2', 'Do you do physio?'), basis: secondTurnContext.basis });
      expect(reads.count - readsBefore).toBe(1);
      // One model call per turn: the update was made from the newer summary at once.
      expect(requests).toHaveLength(2);
      expect(requests[1]!.messages[0]!.text).toContain('summary 1');
      expect(await store.get(tenantId, 'session-1')).toMatchObject({ text: 'summary 2', turns: 2 });
    });

    it('keeps the turn another process summarised meanwhile: the update is made again from its summary', async () => {
      const tenantId = freshTenant();
      const elsewhere = memoryWith(scriptedModel(() => 'summary of m1 made elsewhere').model).memory;
      const { model, requests } = scriptedModel(async () => {
        // The first attempt is made while the other process stores its turn's summary.
        if (requests.length === 1) await elsewhere.afterTurn(turn(tenantId, 'm1', 'What are your opening hours?'));
        return `summary of m2 after ${requests.length} attempts`;
      });
      const failures: string[] = [];
      const { memory } = memoryWith(model, { onFailure: (stage) => failures.push(stage) });
      const context = await memory.contextFor(tenantId, 'session-1');
      clock.advance(1000);
      await memory.afterTurn({ ...turn(tenantId, 'm2', 'Do you do physio?'), basis: context.basis });
      expect(requests).toHaveLength(2);
      expect(requests[1]!.messages[0]!.text).toContain('summary of m1 made elsewhere');
      expect(await summaries.get(tenantId, 'session-1')).toMatchObject({ text: 'summary of m2 after 2 attempts', turns: 2, sourceMessageId: 'm2' });
      expect(failures).toEqual([]);
    });

    it('is not made again when its write landed though it was reported refused (a retried request)', async () => {
      const tenantId = freshTenant();
      const { model, requests } = scriptedModel(() => 'summary of m1');
      const store = new SummaryStore(storage.doc, storage.prefix, clock);
      const put = store.put.bind(store);
      store.put = async (...args) => {
        await put(...args);
        return false;
      };
      const failures: string[] = [];
      const { memory } = memoryWith(model, { summaries: store, onFailure: (stage) => failures.push(stage) });
      await memory.afterTurn(turn(tenantId, 'm1', 'What are your opening hours?'));
      expect(requests).toHaveLength(1);
      expect(failures).toEqual([]);
      expect(await summaries.get(tenantId, 'session-1')).toMatchObject({ text: 'summary of m1', turns: 1, sourceMessageId: 'm1' });
    });

    it('gives up after a bounded number of attempts when it keeps changing, counting a failure', async () => {
      const tenantId = freshTenant();
      const elsewhere = memoryWith(scriptedModel(() => 'made elsewhere').model).memory;
      let other = 0;
      const { model, requests } = scriptedModel(async () => {
        await elsewhere.afterTurn(turn(tenantId, `other-${(other += 1)}`, 'What are your opening hours?'));
        clock.advance(1);
        return 'never stored';
      });
      const failures: string[] = [];
      const { memory } = memoryWith(model, { onFailure: (stage) => failures.push(stage) });
      await expect(memory.afterTurn(turn(tenantId, 'm1', 'Do you do physio?'))).resolves.toBeUndefined();
      expect(requests).toHaveLength(3);
      expect(failures).toEqual(['summary']);
      expect((await summaries.get(tenantId, 'session-1'))?.text).toBe('made elsewhere');
    });

    it('is written with the facts after a single check that the turn is still stored', async () => {
      const tenantId = freshTenant();
      const checks: string[] = [];
      const { model } = scriptedModel(() => 'summary');
      const { memory } = memoryWith(model, {
        turnExists: async (ref) => {
          checks.push(ref.messageId);
          return true;
        },
      });
      await memory.afterTurn(turn(tenantId, 'm1', 'I need a flu shot, contact me by email'));
      expect(checks).toEqual(['m1']);
      expect(await summaries.get(tenantId, 'session-1')).toMatchObject({ text: 'summary' });
      expect((await facts.list(tenantId, 'session-1')).length).toBeGreaterThan(0);
    });
  });
});
