import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { batchDelete } from '../../../src/bff/store/batchDelete.js';
import { isAppError } from '../../../src/bff/errors.js';

type Requests = Record<string, Array<{ DeleteRequest: { Key: { id: number } } }>>;

/** Stands in for DynamoDB's throttling, which real loopback servers never do: leaves part of each batch unprocessed. */
function throttlingDoc(leaveUnprocessed: (call: number, requests: Requests) => Requests | undefined) {
  const calls: Requests[] = [];
  const doc = {
    send: async (command: { input: { RequestItems: Requests } }) => {
      calls.push(command.input.RequestItems);
      return { UnprocessedItems: leaveUnprocessed(calls.length, command.input.RequestItems) };
    },
  } as unknown as DynamoDBDocumentClient;
  return { doc, calls };
}

const keys = (n: number, table = 't') => Array.from({ length: n }, (_, id) => ({ table, key: { id } }));
const noSleep = async () => {};

describe('batchDelete', () => {
  it('sends at most 25 deletes per request, across tables', async () => {
    const { doc, calls } = throttlingDoc(() => undefined);
    await batchDelete(doc, [...keys(30, 'a'), ...keys(30, 'b')], { sleep: noSleep });
    expect(calls).toHaveLength(3);
    for (const call of calls) expect(Object.values(call).flat().length).toBeLessThanOrEqual(25);
    const sent = calls.flatMap((call) => Object.entries(call).flatMap(([table, rs]) => rs.map((r) => `${table}:${r.DeleteRequest.Key.id}`)));
    expect(new Set(sent).size).toBe(60);
  });

  it('resends what comes back unprocessed until everything is deleted', async () => {
    const { doc, calls } = throttlingDoc((call, requests) => (call <= 2 ? { t: requests.t!.slice(0, 5) } : undefined));
    await batchDelete(doc, keys(20), { sleep: noSleep, concurrency: 1 });
    expect(calls.map((call) => call.t!.length)).toEqual([20, 5, 5]);
  });

  it('fails with storage_unavailable when items stay unprocessed', async () => {
    const { doc } = throttlingDoc((_, requests) => requests);
    const error = await batchDelete(doc, keys(3), { sleep: noSleep, maxRetries: 2 }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('storage_unavailable');
  });
});
