import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../errors.js';
import { withStorageErrors } from './storageError.js';

export interface BatchedPutsOptions {
  /** BatchWriteItem calls in flight at once. */
  maxInFlight?: number;
  /** Times an item DynamoDB returned as unprocessed is sent again before its put fails. */
  maxRetries?: number;
  /**
   * How long a put that is not urgent may wait for others to share its request; 0 sends at
   * once. An urgent put sends what is waiting at once.
   */
  lingerMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface PendingPut {
  table: string;
  item: Record<string, unknown>;
  retries: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

// DynamoDB's limit for one BatchWriteItem, across all tables in it.
const BATCH_LIMIT = 25;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const sameKey = (a: Record<string, unknown>, b: Record<string, unknown>) => a.pk === b.pk && a.seq === b.seq && a.sk === b.sk;

/**
 * Puts from every caller of this process, sent together: up to 25 in one BatchWriteItem, gathered
 * while earlier batches are in flight or, for puts that may wait, for `lingerMs`. Many replies
 * streaming at once then cost storage a request per batch, not per reply write. Each put
 * resolves when its own item is stored, and rejects with storage_unavailable otherwise.
 */
export class BatchedPuts {
  private queue: PendingPut[] = [];
  private inFlight = 0;
  private lingering: NodeJS.Timeout | undefined;
  /**
   * What waits should go as soon as a request may be sent: an urgent put waits, or the linger is
   * over. Otherwise a request that ends leaves a short queue to gather more for `lingerMs`.
   */
  private due = false;
  private readonly lingerMs: number;
  private readonly maxInFlight: number;
  private readonly maxRetries: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly operation: string,
    options: BatchedPutsOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 8;
    this.maxRetries = options.maxRetries ?? 6;
    this.lingerMs = options.lingerMs ?? 0;
    this.sleep = options.sleep ?? delay;
  }

  put(table: string, item: Record<string, unknown>, options: { urgent?: boolean } = {}): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ table, item, retries: 0, resolve, reject });
      if (options.urgent) this.due = true;
      this.next();
    });
  }

  /** Sends what waits if it is due or fills a batch, else lets it gather until the linger ends. */
  private next(): void {
    if (this.queue.length === 0) return;
    if (this.due || this.lingerMs === 0 || this.queue.length >= BATCH_LIMIT) this.pump();
    else
      this.lingering ??= setTimeout(() => {
        this.due = true;
        this.pump();
      }, this.lingerMs);
  }

  private pump(): void {
    clearTimeout(this.lingering);
    this.lingering = undefined;
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch: PendingPut[] = [];
      // One batch may not hold the same key twice; a later put of a key waits for the next one.
      for (let i = 0; i < this.queue.length && batch.length < BATCH_LIMIT; ) {
        const candidate = this.queue[i]!;
        if (batch.some((taken) => taken.table === candidate.table && sameKey(taken.item, candidate.item))) i += 1;
        else batch.push(...this.queue.splice(i, 1));
      }
      this.inFlight += 1;
      void this.send(batch).finally(() => {
        this.inFlight -= 1;
        this.next();
      });
    }
    if (this.queue.length === 0) this.due = false;
  }

  private async send(batch: PendingPut[]): Promise<void> {
    const requestItems: Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>> = {};
    for (const { table, item } of batch) (requestItems[table] ??= []).push({ PutRequest: { Item: item } });
    let unprocessed: Record<string, unknown>[];
    try {
      const result = await withStorageErrors(this.operation, () => this.doc.send(new BatchWriteCommand({ RequestItems: requestItems })));
      unprocessed = Object.values(result.UnprocessedItems ?? {}).flatMap((requests) =>
        (requests ?? []).flatMap((request) => (request.PutRequest?.Item ? [request.PutRequest.Item] : [])),
      );
    } catch (error) {
      for (const put of batch) put.reject(error);
      return;
    }
    const retry: PendingPut[] = [];
    for (const put of batch) {
      if (!unprocessed.some((item) => sameKey(item, put.item))) put.resolve();
      else if (put.retries >= this.maxRetries) {
        put.reject(new AppError('storage_unavailable', 'Conversation storage is unavailable; try again shortly', { retryAfterS: 2 }));
      }
      else retry.push({ ...put, retries: put.retries + 1 });
    }
    if (retry.length === 0) return;
    // DynamoDB leaves items unprocessed when it throttles: back off before they go again.
    await this.sleep(Math.min(1000, 20 * 2 ** Math.max(...retry.map((put) => put.retries))));
    this.queue.unshift(...retry);
    // They have waited their backoff already.
    this.due = true;
  }
}
