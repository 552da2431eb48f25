import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnEvent } from '../../../src/bff/chat/turnEvent.js';
import { TurnLog, type TurnRef } from '../../../src/bff/store/turnLog.js';
import { seqOfSortKey, turnEventsAfter } from '../../../src/bff/store/tables.js';
import { replyEvents as events } from '../chat/support/replyEvents.js';
import { freshTenant, manualClock, startStorage, type TestStorage } from './support/storage.js';

describe('TurnLog', () => {
  let storage: TestStorage;
  const clock = manualClock();
  let log: TurnLog;
  beforeAll(async () => {
    storage = await startStorage();
    log = new TurnLog(storage.doc, storage.prefix, clock);
  });
  afterAll(async () => storage?.close());

  const header = { textHash: 'h', owner: 'p1', leaseUntil: 0, startedAt: 0 };
  const ref = (): TurnRef => ({ tenantId: freshTenant(), sessionId: 's1', messageId: 'm1' });
  const betweenKeys = (messageId: string) => {
    const [from, to] = turnEventsAfter(messageId, -1);
    return { ':from': from, ':to': to };
  };
  /**
   * The test storage's client, counting the commands of one kind it sends. It inherits from the
   * client, as the SDK's paginators accept no other.
   */
  const counting = (kind: typeof QueryCommand | typeof BatchWriteCommand) => {
    let sent = 0;
    const doc = Object.create(storage.doc) as typeof storage.doc;
    doc.send = ((command: Parameters<typeof storage.doc.send>[0]) => {
      if (command instanceof kind) sent += 1;
      return storage.doc.send(command);
    }) as typeof storage.doc.send;
    return { doc, sent: () => sent };
  };
  /** A turn log on a client counting the commands of one kind, with a turn it has claimed. */
  const countingWriter = async (kind: typeof QueryCommand | typeof BatchWriteCommand) => {
    const { doc, sent } = counting(kind);
    const writer = new TurnLog(doc, storage.prefix, clock);
    const r = ref();
    await writer.claim(r, header);
    return { writer, r, sent };
  };
  /** The turn's items in the turn log, each with the seq its sort key holds. */
  const items = async (r: TurnRef) =>
    (
      await storage.doc.send(
        new QueryCommand({
          TableName: `${storage.prefix}turn-log`,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': `${r.tenantId}#${r.sessionId}`, ...betweenKeys(r.messageId) },
        }),
      )
    ).Items!.map((item) => ({ ...item, seq: seqOfSortKey(String(item.sk)) }));

  it('cuts an append too large for one item into runs that each fit, and replays all of them', async () => {
    const r = ref();
    await log.claim(r, header);
    const big = Array.from({ length: 4 }, (_, i): TurnEvent => ({ seq: i + 1, type: 'delta', data: { text: String(i).repeat(120_000) } }));
    await log.append(r, big);
    const stored = await items(r);
    expect(stored.map((item) => item.seq)).toEqual([0, 2, 4]);
    for (const item of stored) expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThan(400_000);
    expect(await log.read(r, 0)).toEqual(big);
    expect(await log.read(r, 3)).toEqual(big.slice(3));
  });

  it('lets exactly one claimant win a message', async () => {
    const r = ref();
    const results = await Promise.all([log.claim(r, header), log.claim(r, { ...header, owner: 'p2' })]);
    expect(results.filter((x) => x === 'claimed')).toHaveLength(1);
    expect(results.find((x) => x !== 'claimed')).toMatchObject({ status: 'generating' });
  });

  it('replays the events after a given id, in order', async () => {
    const r = ref();
    await log.claim(r, header);
    await log.append(r, events(30));
    expect((await log.read(r, 0)).map((e) => e.seq)).toEqual(events(30).map((e) => e.seq));
    expect((await log.read(r, 28)).map((e) => e.seq)).toEqual([29, 30, 31]);
  });

  it('stores each appended run as one item, and replays from any id inside a run', async () => {
    const r = ref();
    await log.claim(r, header);
    const all = events(12);
    await log.append(r, all.slice(0, 5));
    await log.append(r, all.slice(5, 6));
    await log.append(r, all.slice(6));
    // The header and three runs, keyed by each run's last event.
    expect((await items(r)).map((item) => item.seq)).toEqual([0, 5, 6, 13]);
    expect(await log.read(r, 0)).toEqual(all);
    expect((await log.read(r, 3)).map((e) => e.seq)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect((await log.read(r, 6)).map((e) => e.seq)).toEqual([7, 8, 9, 10, 11, 12, 13]);
    expect(await log.read(r, 13)).toEqual([]);
  });

  it('compacts a finished turn into its header: one item left, the same events replayed', async () => {
    const r = ref();
    await log.claim(r, header);
    const all = events(40);
    await log.append(r, all);
    await log.finish(r, 'complete', all);
    await log.settled();
    const left = await items(r);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ seq: 0, status: 'complete' });
    expect(await log.read(r, 0)).toEqual(all);
    expect(await log.read(r, 39)).toEqual(all.slice(39));
    expect((await log.header(r))?.status).toBe('complete');
  });

  it('stores the events after the last appended run in the compact log alone', async () => {
    const { writer, r, sent } = await countingWriter(BatchWriteCommand);
    const all = events(30);
    await writer.append(r, all.slice(0, 20));
    expect(sent()).toBe(1);
    await writer.finish(r, 'complete', all);
    await writer.settled();
    // The one further request is the compaction's delete of the run: the tail is not appended.
    expect(sent()).toBe(2);
    expect(await items(r)).toEqual([expect.objectContaining({ seq: 0 })]);
    expect(await log.read(r, 0)).toEqual(all);
    expect(await log.read(r, 25)).toEqual(all.slice(25));
  });

  it('appends the unwritten tail of a log too long to compact before closing the turn', async () => {
    const r = ref();
    await log.claim(r, header);
    const long = Array.from({ length: 4 }, (_, i): TurnEvent => ({ seq: i + 1, type: 'delta', data: { text: String(i).repeat(120_000) } }));
    const all: TurnEvent[] = [...long, { seq: 5, type: 'done', data: { messageId: 'm1', stopReason: 'end_turn' } }];
    await log.append(r, all.slice(0, 2));
    await log.finish(r, 'complete', all);
    await log.settled();
    const stored = await items(r);
    expect(stored.find((item) => item.seq === 0)).toMatchObject({ status: 'complete' });
    expect(stored.find((item) => item.seq === 0)).not.toHaveProperty('compactLog');
    expect(await log.read(r, 0)).toEqual(all);
    expect(await log.read(r, 4)).toEqual(all.slice(4));
  });

  it('deletes the runs it wrote at compaction without querying for them', async () => {
    const { writer, r, sent } = await countingWriter(QueryCommand);
    const all = events(20);
    await writer.append(r, all.slice(0, 8));
    await writer.append(r, all.slice(8));
    await writer.finish(r, 'complete', all);
    await writer.settled();
    expect(sent()).toBe(0);
    expect(await items(r)).toEqual([expect.objectContaining({ seq: 0 })]);
  });

  it('compacts a turn it claimed and wrote no run for without querying', async () => {
    const { writer, r, sent } = await countingWriter(QueryCommand);
    const ended = [{ seq: 1, type: 'error', data: { code: 'model_error', message: 'failed', retryable: true } }] satisfies TurnEvent[];
    await writer.finish(r, 'failed', ended);
    await writer.settled();
    expect(sent()).toBe(0);
    expect(await log.read(r, 0)).toEqual(ended);
  });

  it('lists as its own only the runs of turns it claimed', async () => {
    const r = ref();
    await log.claim(r, header);
    const all = events(10);
    await log.append(r, all.slice(0, 5));
    // Another process appends (as a takeover does) and then finishes: had it taken its own run
    // for all of them, the claimant's run would be left.
    const other = new TurnLog(storage.doc, storage.prefix, clock);
    await other.append(r, all.slice(5));
    await other.finish(r, 'complete', all);
    await other.settled();
    expect(await items(r)).toEqual([expect.objectContaining({ seq: 0 })]);
  });

  it('looks the runs up when another process wrote them', async () => {
    const r = ref();
    await log.claim(r, header);
    const all = events(10);
    await log.append(r, all);
    const other = new TurnLog(storage.doc, storage.prefix, clock);
    await other.finish(r, 'complete', all);
    await other.settled();
    expect(await items(r)).toEqual([expect.objectContaining({ seq: 0 })]);
    expect(await log.read(r, 0)).toEqual(all);
  });

  it('never answers with a gap: events missing in the middle are served from the compact log', async () => {
    const r = ref();
    await log.claim(r, header);
    const all = events(10);
    await log.append(r, all.slice(5));
    expect(await log.read(r, 2)).toEqual([]);
    await log.finish(r, 'complete', all);
    expect(await log.read(r, 2)).toEqual(all.slice(2));
  });

  it('does not bring back a turn that was deleted before it finished', async () => {
    const r = ref();
    await log.claim(r, header);
    await log.release(r);
    await log.finish(r, 'complete', events(3));
    expect(await log.header(r)).toBeUndefined();
  });
});
