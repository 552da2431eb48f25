import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageStore } from '../../../src/bff/store/messageStore.js';
import { packEvents } from '../../../src/bff/store/packedEvents.js';
import { countKeys, createSessionPurge } from '../../../src/bff/store/sessionPurge.js';
import { ALL_TABLES, seqOfSortKey, turnEventSortKey } from '../../../src/bff/store/tables.js';
import { TurnLog } from '../../../src/bff/store/turnLog.js';
import { seedSession } from './support/seedSession.js';
import { freshTenant, manualClock, startStorage, type TestStorage } from './support/storage.js';

describe('session purge', () => {
  let storage: TestStorage;
  const clock = manualClock();
  beforeAll(async () => {
    storage = await startStorage();
  });
  afterAll(async () => storage?.close());

  /** Every stored item whose partition key starts with the session's key, in every table. */
  async function itemsOf(tenantId: string, sessionId: string) {
    const found: string[] = [];
    for (const table of ALL_TABLES) {
      const page = await storage.doc.send(new ScanCommand({ TableName: `${storage.prefix}${table.name}` }));
      for (const item of page.Items ?? []) if (String(item.pk).startsWith(`${tenantId}#${sessionId}`)) found.push(`${table.name}:${String(item.pk)}`);
    }
    return found;
  }

  it('finds and deletes every item of the session in every table, turn events included', async () => {
    const tenantId = freshTenant();
    const { itemsPerTurn } = await seedSession(storage.doc, storage.prefix, tenantId, 's1', { turns: 4, deltas: 3, clock });
    const purge = createSessionPurge({ doc: storage.doc, prefix: storage.prefix, clock });
    const found = await purge.footprint(tenantId, 's1');
    expect(countKeys(found.keys)).toEqual({ messages: 8, summaries: 1, facts: 2, turnEvents: 4 * (itemsPerTurn - 2) });
    expect(found.generating).toEqual([]);
    await purge.remove(found.keys);
    expect(await itemsOf(tenantId, 's1')).toEqual([]);
  });

  it('also removes items that have expired but are still stored', async () => {
    const tenantId = freshTenant();
    await seedSession(storage.doc, storage.prefix, tenantId, 's1', { turns: 2, clock });
    const later = manualClock(clock() + 8 * 24 * 3600 * 1000);
    const purge = createSessionPurge({ doc: storage.doc, prefix: storage.prefix, clock: later });
    await purge.remove((await purge.footprint(tenantId, 's1')).keys);
    expect(await itemsOf(tenantId, 's1')).toEqual([]);
  });

  it('leaves other sessions and other tenants alone', async () => {
    const [tenantA, tenantB] = [freshTenant(), freshTenant()];
    await seedSession(storage.doc, storage.prefix, tenantA, 's1', { turns: 1, clock });
    await seedSession(storage.doc, storage.prefix, tenantA, 's2', { turns: 1, clock });
    await seedSession(storage.doc, storage.prefix, tenantB, 's1', { turns: 1, clock });
    const purge = createSessionPurge({ doc: storage.doc, prefix: storage.prefix, clock });
    await purge.remove((await purge.footprint(tenantA, 's1')).keys);
    expect(await itemsOf(tenantA, 's2')).not.toEqual([]);
    expect(await itemsOf(tenantB, 's1')).not.toEqual([]);
  });

  it('finds the runs of a compacted turn whose run deletion never happened', async () => {
    const tenantId = freshTenant();
    await seedSession(storage.doc, storage.prefix, tenantId, 's1', { turns: 1, clock });
    // A process that died right after compacting: the log is in the header and the runs are
    // still stored.
    const ref = { tenantId, sessionId: 's1', messageId: 'crashed' };
    const turnLog = new TurnLog(storage.doc, storage.prefix, clock);
    await turnLog.claim(ref, { textHash: 'h', owner: 'gone', leaseUntil: 0, startedAt: clock() });
    await new MessageStore(storage.doc, storage.prefix, clock).put(tenantId, 's1', clock(), { messageId: 'crashed', role: 'user', text: 'q', at: clock() });
    const log = [
      { seq: 1, type: 'delta' as const, data: { text: 'partial ' } },
      { seq: 2, type: 'done' as const, data: { messageId: 'crashed', stopReason: 'end_turn' } },
    ];
    await turnLog.append(ref, log.slice(0, 1));
    await turnLog.append(ref, log.slice(1));
    await storage.doc.send(
      new UpdateCommand({
        TableName: `${storage.prefix}turn-log`,
        Key: { pk: `${tenantId}#s1`, sk: turnEventSortKey('crashed', 0) },
        UpdateExpression: 'SET #status = :done, compactLog = :log',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':done': 'complete', ':log': packEvents(log) },
      }),
    );
    const purge = createSessionPurge({ doc: storage.doc, prefix: storage.prefix, clock });
    const found = await purge.footprint(tenantId, 's1');
    const crashed = found.keys.filter((k) => String(k.key.sk).startsWith('crashed#'));
    expect(crashed.map((k) => seqOfSortKey(String(k.key.sk)))).toEqual([0, 1, 2]);
    await purge.remove(found.keys);
    expect(await itemsOf(tenantId, 's1')).toEqual([]);
  });

  it('reports turns still generating under a live lease', async () => {
    const tenantId = freshTenant();
    await seedSession(storage.doc, storage.prefix, tenantId, 's1', { turns: 1, clock });
    const ref = { tenantId, sessionId: 's1', messageId: 'running' };
    await new TurnLog(storage.doc, storage.prefix, clock).claim(ref, { textHash: 'h', owner: 'other', leaseUntil: clock() + 10_000, startedAt: clock() });
    await new MessageStore(storage.doc, storage.prefix, clock).put(tenantId, 's1', clock(), { messageId: 'running', role: 'user', text: 'q', at: clock() });
    const purge = createSessionPurge({ doc: storage.doc, prefix: storage.prefix, clock });
    expect((await purge.footprint(tenantId, 's1')).generating).toEqual(['running']);
    expect(await purge.isGenerating(tenantId, 's1', 'running')).toBe(true);
    const afterLease = createSessionPurge({ doc: storage.doc, prefix: storage.prefix, clock: () => clock() + 20_000 });
    expect((await afterLease.footprint(tenantId, 's1')).generating).toEqual([]);
  });

  it('counts a key found by two looks once, by the kind it was found as', () => {
    const message = { kind: 'messages' as const, table: 'p-messages', key: { pk: 't#s', sk: '1#m#0' } };
    const header = { kind: 'turnEvents' as const, table: 'p-turn-log', key: { pk: 't#s', sk: turnEventSortKey('m', 0) } };
    const run = { kind: 'turnEvents' as const, table: 'p-turn-log', key: { pk: 't#s', sk: turnEventSortKey('m', 1) } };
    expect(countKeys([message, header, { ...message, key: { ...message.key } }, run, header])).toEqual({ messages: 1, summaries: 0, facts: 0, turnEvents: 2 });
  });

  it('counts what a turn item holds', () => {
    const turn = { kind: 'messages' as const, table: 'p-messages', key: { pk: 't#s', sk: '1#m' } };
    expect(countKeys([{ ...turn, units: ['user', 'assistant'] }])).toEqual({ messages: 2, summaries: 0, facts: 0, turnEvents: 0 });
    expect(countKeys([{ ...turn, units: ['user'] }, { ...turn, units: ['user'] }])).toEqual({ messages: 1, summaries: 0, facts: 0, turnEvents: 0 });
    expect(countKeys([{ ...turn, units: [] }])).toEqual({ messages: 0, summaries: 0, facts: 0, turnEvents: 0 });
  });
});
