import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoTarget {
  region: string;
  /** A URL for a local or private endpoint; undefined = the region's AWS endpoint. */
  url?: string | undefined;
}

const MAX_SOCKETS = 512;

/**
 * Local servers ignore SigV4, so a URL endpoint gets fixed placeholder credentials unless the
 * environment has real ones; AWS gets the SDK's default credential chain.
 */
export function createDynamoClients(target: DynamoTarget): { raw: DynamoDBClient; doc: DynamoDBDocumentClient } {
  const local = target.url !== undefined && !process.env.AWS_ACCESS_KEY_ID;
  const raw = new DynamoDBClient({
    region: target.region,
    ...(target.url ? { endpoint: target.url } : {}),
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 3,
    // The SDK's default of 50 sockets queues a busy process's claims and history reads behind
    // other streams' event writes; every running reply keeps about one write in flight.
    requestHandler: { httpAgent: { maxSockets: MAX_SOCKETS }, httpsAgent: { maxSockets: MAX_SOCKETS } },
  });
  const doc = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { raw, doc };
}
