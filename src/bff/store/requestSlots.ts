import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';

export interface RequestSlots {
  /** Requests in flight at once: as many as the client's connection pool holds. */
  slots: number;
  /** Longest wait for a slot before the request fails as storage that does not answer would. */
  waitMs: number;
}

/**
 * Holds a client's requests beyond its connection pool here, before the SDK sees them. The
 * SDK's connection timeout starts when a request is made, not when it gets a socket: in a burst
 * larger than the pool (thousands of replies ending at once) requests that only waited for a
 * free socket failed as if storage could not be reached. Waiting for a slot counts against none
 * of the SDK's timeouts; a request that gets no slot within `waitMs` fails, so a storage that
 * stopped answering still fails requests within seconds instead of queueing them without end.
 */
export function limitRequestsInFlight(client: DynamoDBClient, { slots, waitMs }: RequestSlots): void {
  const limit = pLimit(slots);
  client.middlewareStack.add(
    (next) => (args) =>
      new Promise((resolve, reject) => {
        let expired = false;
        let timer: NodeJS.Timeout | undefined;
        void limit(async () => {
          if (expired) return;
          clearTimeout(timer);
          await next(args).then(resolve, reject);
        });
        // limit() takes a free slot before it returns: only a request left queued needs a deadline.
        if (limit.pendingCount > 0) {
          timer = setTimeout(() => {
            expired = true;
            reject(Object.assign(new Error(`no storage request slot within ${waitMs} ms`), { name: 'TimeoutError' }));
          }, waitMs);
        }
      }),
    // Outermost, so the SDK's retries of a request run within its slot.
    { step: 'initialize', priority: 'high', name: 'requestSlots' },
  );
}
