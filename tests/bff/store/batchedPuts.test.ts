import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/bff/errors.js';
import { BatchedPuts } from '../../../src/bff/store/batchedPuts.js';
import { freshTenant, startStorage, type TestStorage } from './support/storage.js';

type Requests = Record<string, Array<{ PutRequest: { Item: { pk: string; seq: number } } }>>;

/** Stands in for DynamoDB's throttling, which loopback servers never do: records calls, leaves some items unprocessed. */
function throttlingDoc(leaveUnprocessed: (call: number, requests: Requests) => Requests | undefined) {
  const calls: Requests[] = [];
  let release: () => void = () => undefined;
  const doc = {
    send: async (command: { input: { RequestItems: Requests } }) => {
      calls.push(command.input.RequestItems);
      await new Promise<void>((resolve) => (release = resolve));
      return { UnprocessedItems: leaveUnprocessed(calls.length, command.input.RequestItems) };
    },
  } as unknown as DynamoDBDocumentClient;
  return { doc, calls, release: () => release() };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const noSleep = async () => {};

describe('BatchedPuts', () => {
  let storage: TestStorage;
  beforeAll(async () => {
    storage = await startStorage();
  });
  afterAll(async () => storage?.close());

  it('stores every item on the real server, however many callers put at once', async () => {
    const puts = new BatchedPuts(storage.doc, 'test.put', { maxInFlight: 2 });
    const pk = `${freshTenant()}#s1`;
    const table = `${storage.prefix}turn-log`;
    const sk = (i: number) => `m1#${String(i).padStart(4, '0')}`;
    await Promise.all(Array.from({ length: 120 }, (_, i) => puts.put(table, { pk, sk: sk(i + 1), events: '[]' })));
    const stored = await storage.doc.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }));
    expect(stored.Items?.map((item) => item.sk)).toEqual(Array.from({ length: 120 }, (_, i) => sk(i + 1)));
  });

  it('holds puts that may wait for lingerMs so they share one request, and sends at once when one is urgent', async () => {
    const { doc, calls, release } = throttlingDoc(() => undefined);
    const puts = new BatchedPuts(doc, 'test.put', { maxInFlight: 1, lingerMs: 30, sleep: noSleep });
    const waiting = [puts.put('t', { pk: 'a', seq: 1 }), puts.put('t', { pk: 'b', seq: 1 })];
    await tick();
    expect(calls).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(calls.map((call) => call.t!.length)).toEqual([2]);
    release();
    await Promise.all(waiting);
    const lingering = puts.put('t', { pk: 'c', seq: 1 });
    const urgent = puts.put('t', { pk: 'd', seq: 1 }, { urgent: true });
    await tick();
    expect(calls.map((call) => call.t!.length)).toEqual([2, 2]);
    release();
    await Promise.all([lingering, urgent]);
  });

  it('lets a put that may wait gather company for lingerMs even when a request ends meanwhile', async () => {
    const { doc, calls, release } = throttlingDoc(() => undefined);
    const puts = new BatchedPuts(doc, 'test.put', { maxInFlight: 1, lingerMs: 30, sleep: noSleep });
    const first = puts.put('t', { pk: 'a', seq: 1 }, { urgent: true });
    await tick();
    const second = puts.put('t', { pk: 'b', seq: 1 });
    release();
    await first;
    await tick();
    // The ended request does not take the lone put with it at once.
    expect(calls).toHaveLength(1);
    const third = puts.put('t', { pk: 'c', seq: 1 });
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(calls.map((call) => call.t!.length)).toEqual([1, 2]);
    release();
    await Promise.all([second, third]);
  });

  it('sends what waits as soon as a request ends once its linger is over', async () => {
    const { doc, calls, release } = throttlingDoc(() => undefined);
    const puts = new BatchedPuts(doc, 'test.put', { maxInFlight: 1, lingerMs: 10, sleep: noSleep });
    const first = puts.put('t', { pk: 'a', seq: 1 }, { urgent: true });
    await tick();
    const second = puts.put('t', { pk: 'b', seq: 1 });
    // The linger ends while the only request slot is taken.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toHaveLength(1);
    release();
    await first;
    await tick();
    expect(calls).toHaveLength(2);
    release();
    await second;
  });

  it('sends a put at once when idle, and gathers what arrives meanwhile into batches of at most 25', async () => {
    const { doc, calls, release } = throttlingDoc(() => undefined);
    const puts = new BatchedPuts(doc, 'test.put', { maxInFlight: 1, sleep: noSleep });
    const first = puts.put('t', { pk: 'a', seq: 1 });
    await tick();
    expect(calls).toHaveLength(1);
    const rest = Array.from({ length: 30 }, (_, i) => puts.put('t', { pk: `b${i}`, seq: 1 }));
    await tick();
    expect(calls).toHaveLength(1);
    release();
    await first;
    await tick();
    expect(calls.map((call) => call.t!.length)).toEqual([1, 25]);
    release();
    await tick();
    release();
    await Promise.all(rest);
    expect(calls.map((call) => call.t!.length)).toEqual([1, 25, 5]);
  });

  it('never puts the same key twice in one batch', async () => {
    const { doc, calls, release } = throttlingDoc(() => undefined);
    const puts = new BatchedPuts(doc, 'test.put', { maxInFlight: 1, sleep: noSleep });
    const blocker = puts.put('t', { pk: 'x', seq: 0 });
    const same = [puts.put('t', { pk: 'k', seq: 1 }), puts.put('t', { pk: 'k', seq: 1 })];
    release();
    await blocker;
    await tick();
    release();
    await tick();
    release();
    await Promise.all(same);
    expect(calls.map((call) => call.t!.map((request) => `${request.PutRequest.Item.pk}:${request.PutRequest.Item.seq}`))).toEqual([['x:0'], ['k:1'], ['k:1']]);
  });

  it('resends unprocessed items, and fails just those puts with storage_unavailable when they stay unprocessed', async () => {
    const stuck = (requests: Requests): Requests => ({ t: requests.t!.filter((request) => request.PutRequest.Item.pk === 'stuck') });
    const { doc, calls, release } = throttlingDoc((_, requests) => stuck(requests));
    const puts = new BatchedPuts(doc, 'test.put', { maxInFlight: 1, maxRetries: 2, sleep: noSleep });
    const fine = puts.put('t', { pk: 'fine', seq: 1 });
    const failing = puts.put('t', { pk: 'stuck', seq: 1 });
    const outcome = failing.then(
      () => 'stored',
      (error: unknown) => (isAppError(error) ? error.code : 'other'),
    );
    for (let i = 0; i < 6; i++) {
      release();
      await tick();
    }
    await fine;
    expect(await outcome).toBe('storage_unavailable');
    expect(calls.map((call) => call.t!.length)).toEqual([1, 1, 1, 1]);
  });
});
