import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { limitRequestsInFlight } from './requestSlots.js';

export interface DynamoTarget {
  region: string;
  /** A URL for a local or private endpoint; undefined = the region's AWS endpoint. */
  url?: string | undefined;
  /** Storage that stops answering fails a request after these (defaults: STORAGE_TIMEOUTS). */
  timeouts?: StorageTimeouts;
}

export interface StorageTimeouts {
  /** Longest wait for a connection to open, in ms. */
  connectMs: number;
  /** Longest silence on a connection while a request waits for its answer, in ms. */
  idleMs: number;
  /** Longest wait for one of the connection pool's sockets, in ms (see requestSlots). */
  queueMs: number;
}

/**
 * DynamoDB answers in milliseconds, so a connection silent for seconds is a storage that stopped
 * answering: the request fails (and is retried) instead of holding a chat open. Without these the
 * SDK waits 5 minutes on a silent connection and forever on a connect.
 */
export const STORAGE_TIMEOUTS: StorageTimeouts = { connectMs: 3_000, idleMs: 10_000, queueMs: 10_000 };

const MAX_SOCKETS = 512;

/**
 * Local servers ignore SigV4, so a URL endpoint gets fixed placeholder credentials unless the
 * environment has real ones; AWS gets the SDK's default credential chain.
 */
export function createDynamoClients(target: DynamoTarget): { raw: DynamoDBClient; doc: DynamoDBDocumentClient } {
  const local = target.url !== undefined && !process.env.AWS_ACCESS_KEY_ID;
  const timeouts = target.timeouts ?? STORAGE_TIMEOUTS;
  const raw = new DynamoDBClient({
    region: target.region,
    ...(target.url ? { endpoint: target.url } : {}),
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 3,
    // The SDK's default of 50 sockets queues a busy process's claims and history reads behind
    // other streams' event writes; every running reply keeps about one write in flight.
    requestHandler: {
      httpAgent: { maxSockets: MAX_SOCKETS },
      httpsAgent: { maxSockets: MAX_SOCKETS },
      connectionTimeout: timeouts.connectMs,
      socketTimeout: timeouts.idleMs,
    },
  });
  limitRequestsInFlight(raw, { slots: MAX_SOCKETS, waitMs: timeouts.queueMs });
  const doc = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { raw, doc };
}
