import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../errors.js';
import { withStorageErrors } from './storageError.js';

export interface KeyInTable {
  table: string;
  key: Record<string, unknown>;
}

export interface BatchDeleteOptions {
  /** BatchWriteItem calls in flight at once. */
  concurrency?: number;
  /** Rounds of resending UnprocessedItems before giving up. */
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
}

// DynamoDB's limit for one BatchWriteItem, across all tables in it.
const BATCH_LIMIT = 25;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type DeleteRequests = Record<string, Array<{ DeleteRequest: { Key: Record<string, unknown> } }>>;

/**
 * Deletes every key, 25 per BatchWriteItem, resending what DynamoDB returns as unprocessed (it
 * does so under throttling) with backoff. Resolves only when every key is gone; otherwise rejects
 * with storage_unavailable.
 */
export async function batchDelete(doc: DynamoDBDocumentClient, keys: readonly KeyInTable[], options: BatchDeleteOptions = {}): Promise<void> {
  const batches: DeleteRequests[] = [];
  for (let i = 0; i < keys.length; i += BATCH_LIMIT) {
    const batch: DeleteRequests = {};
    for (const { table, key } of keys.slice(i, i + BATCH_LIMIT)) (batch[table] ??= []).push({ DeleteRequest: { Key: key } });
    batches.push(batch);
  }
  const sleep = options.sleep ?? delay;
  const maxRetries = options.maxRetries ?? 6;
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending: DeleteRequests | undefined = batches[next++];
      for (let retry = 0; pending && Object.keys(pending).length > 0; retry++) {
        if (retry > maxRetries) {
          throw new AppError('storage_unavailable', 'Storage did not accept every delete; try again shortly', { retryAfterS: 2 });
        }
        if (retry > 0) await sleep(Math.min(1000, 10 * 2 ** retry));
        const requestItems: DeleteRequests = pending;
        const result = await withStorageErrors('batch.delete', () => doc.send(new BatchWriteCommand({ RequestItems: requestItems })));
        pending = result.UnprocessedItems as DeleteRequests | undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, batches.length) }, worker));
}
