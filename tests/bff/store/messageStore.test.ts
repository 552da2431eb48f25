import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnEvent } from '../../../src/bff/chat/turnEvent.js';
import { MessageStore } from '../../../src/bff/store/messageStore.js';
import { freshTenant, manualClock, startStorage, type TestStorage } from './support/storage.js';

describe('message store on embedded storage', () => {
  let storage: TestStorage;
  const clock = manualClock();
  beforeAll(async () => {
    storage = await startStorage();
  });
  afterAll(async () => storage?.close());

  const store = () => new MessageStore(storage.doc, storage.prefix, clock);
  const itemsOf = async (tenantId: string) =>
    ((await storage.doc.send(new ScanCommand({ TableName: `${storage.prefix}messages` }))).Items ?? []).filter((item) => String(item.pk).startsWith(`${tenantId}#`));

  it('keeps a turn as one item holding the user message and its reply, read back in order', async () => {
    const tenantId = freshTenant();
    const messages = store();
    for (const [i, startedAt] of [1_000, 2_000].entries()) {
      await messages.put(tenantId, 's1', startedAt, { messageId: `m${i}`, role: 'user', text: `question ${i}`, at: startedAt });
      await messages.put(tenantId, 's1', startedAt, { messageId: `m${i}`, role: 'assistant', text: `answer ${i}`, at: startedAt + 5, status: 'complete' });
    }
    expect(await itemsOf(tenantId)).toHaveLength(2);
    expect(await messages.list(tenantId, 's1')).toEqual([
      { messageId: 'm0', role: 'user', text: 'question 0', at: 1_000 },
      { messageId: 'm0', role: 'assistant', text: 'answer 0', at: 1_005, status: 'complete' },
      { messageId: 'm1', role: 'user', text: 'question 1', at: 2_000 },
      { messageId: 'm1', role: 'assistant', text: 'answer 1', at: 2_005, status: 'complete' },
    ]);
  });

  it('keeps both halves whichever write lands first', async () => {
    const tenantId = freshTenant();
    const messages = store();
    await messages.put(tenantId, 's1', 1_000, { messageId: 'm', role: 'assistant', text: 'failed early', at: 1_002, status: 'failed' });
    await messages.put(tenantId, 's1', 1_000, { messageId: 'm', role: 'user', text: 'question', at: 1_000 });
    expect((await messages.list(tenantId, 's1')).map((m) => `${m.role}:${m.text}`)).toEqual(['user:question', 'assistant:failed early']);
  });

  it('replaces a reply written again, its status included', async () => {
    const tenantId = freshTenant();
    const messages = store();
    await messages.put(tenantId, 's1', 1_000, { messageId: 'm', role: 'user', text: 'question', at: 1_000 });
    await messages.put(tenantId, 's1', 1_000, { messageId: 'm', role: 'assistant', text: 'part', at: 1_001, status: 'interrupted' });
    await messages.put(tenantId, 's1', 1_000, { messageId: 'm', role: 'assistant', text: 'partial', at: 1_002 });
    expect((await messages.list(tenantId, 's1')).at(-1)).toEqual({ messageId: 'm', role: 'assistant', text: 'partial', at: 1_002, status: undefined });
  });

  it('gives the newest messages, oldest first, when limited, even where the limit splits a turn', async () => {
    const tenantId = freshTenant();
    const messages = store();
    for (let i = 0; i < 6; i++) {
      await messages.put(tenantId, 's1', 1_000 + i, { messageId: `m${i}`, role: 'user', text: `q${i}`, at: 1_000 + i });
      await messages.put(tenantId, 's1', 1_000 + i, { messageId: `m${i}`, role: 'assistant', text: `a${i}`, at: 1_000 + i, status: 'complete' });
    }
    // The newest turn has no reply yet.
    await messages.put(tenantId, 's1', 2_000, { messageId: 'm6', role: 'user', text: 'q6', at: 2_000 });
    expect((await messages.list(tenantId, 's1', 4)).map((m) => m.text)).toEqual(['a4', 'q5', 'a5', 'q6']);
    expect((await messages.list(tenantId, 's1', 5)).map((m) => m.text)).toEqual(['q4', 'a4', 'q5', 'a5', 'q6']);
    expect(await messages.list(tenantId, 's1', 100)).toHaveLength(13);
  });

  it('reads items stored one message per item as well', async () => {
    const tenantId = freshTenant();
    const pk = `${tenantId}#s1`;
    const expiresAt = Math.floor(clock() / 1000) + 3_600;
    await storage.doc.send(new PutCommand({ TableName: `${storage.prefix}messages`, Item: { pk, sk: '000000000000500#old#0', messageId: 'old', role: 'user', text: 'before', at: 500, expiresAt } }));
    await storage.doc.send(
      new PutCommand({ TableName: `${storage.prefix}messages`, Item: { pk, sk: '000000000000500#old#1', messageId: 'old', role: 'assistant', text: 'reply', at: 501, status: 'complete', expiresAt } }),
    );
    await store().put(tenantId, 's1', 1_000, { messageId: 'new', role: 'user', text: 'after', at: 1_000 });
    expect(await store().list(tenantId, 's1')).toEqual([
      { messageId: 'old', role: 'user', text: 'before', at: 500, status: undefined },
      { messageId: 'old', role: 'assistant', text: 'reply', at: 501, status: 'complete' },
      { messageId: 'new', role: 'user', text: 'after', at: 1_000 },
    ]);
  });

  it('leaves out turns past their retention', async () => {
    const tenantId = freshTenant();
    await store().put(tenantId, 's1', 1_000, { messageId: 'm', role: 'user', text: 'q', at: 1_000 });
    const dayLater = new MessageStore(storage.doc, storage.prefix, () => clock() + 24 * 3_600_000 + 1_000);
    expect(await dayLater.list(tenantId, 's1')).toEqual([]);
  });

  it('keeps a reply with the events it was stored with, reads them back with the reply, and drops them when it is written again without', async () => {
    const tenantId = freshTenant();
    const messages = store();
    const ending: TurnEvent[] = [
      { seq: 7, type: 'delta', data: { text: 'weekdays.' } },
      { seq: 8, type: 'done', data: { messageId: 'm', stopReason: 'end_turn' } },
    ];
    expect(await messages.reply(tenantId, 's1', 1_000, 'm')).toBeUndefined();
    await messages.put(tenantId, 's1', 1_000, { messageId: 'm', role: 'user', text: 'question', at: 1_000 });
    expect(await messages.reply(tenantId, 's1', 1_000, 'm')).toBeUndefined();
    await messages.put(tenantId, 's1', 1_000, { messageId: 'm', role: 'assistant', text: 'We open on weekdays.', at: 1_005, status: 'complete' }, ending);
    expect(await messages.reply(tenantId, 's1', 1_000, 'm')).toEqual({
      messageId: 'm',
      role: 'assistant',
      text: 'We open on weekdays.',
      at: 1_005,
      status: 'complete',
      ending,
    });
    // The history shows messages, not events.
    expect((await messages.list(tenantId, 's1')).at(-1)).toEqual({ messageId: 'm', role: 'assistant', text: 'We open on weekdays.', at: 1_005, status: 'complete' });
    await messages.put(tenantId, 's1', 1_000, { messageId: 'm', role: 'assistant', text: 'We open on weekdays.', at: 1_009, status: 'failed' });
    expect(await messages.reply(tenantId, 's1', 1_000, 'm')).toMatchObject({ status: 'failed', ending: [] });
    const dayLater = new MessageStore(storage.doc, storage.prefix, () => clock() + 24 * 3_600_000 + 1_000);
    expect(await dayLater.reply(tenantId, 's1', 1_000, 'm')).toBeUndefined();
  });

  it('leaves out an ending too long to sit beside its reply in one item', async () => {
    const tenantId = freshTenant();
    const long = 'x'.repeat(70_000);
    const ending: TurnEvent[] = [
      { seq: 2, type: 'delta', data: { text: long } },
      { seq: 3, type: 'done', data: { messageId: 'm', stopReason: 'end_turn' } },
    ];
    await store().put(tenantId, 's1', 1_000, { messageId: 'm', role: 'assistant', text: `a${long}`, at: 1_005, status: 'complete' }, ending);
    expect(await store().reply(tenantId, 's1', 1_000, 'm')).toMatchObject({ text: `a${long}`, status: 'complete', ending: [] });
  });
});
