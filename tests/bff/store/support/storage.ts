import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients } from '../../../../src/bff/store/dynamoClient.js';
import { ALL_TABLES } from '../../../../src/bff/store/tables.js';
import { createTables } from '../../../../src/local/createTables.js';
import { startEmbeddedDynamo } from '../../../../src/local/dynamo.js';

export interface TestStorage {
  url: string;
  raw: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  prefix: string;
  close(): Promise<void>;
}

/** Real embedded DynamoDB (dynalite) on loopback with every table created, reached by the real SDK. */
export async function startStorage(): Promise<TestStorage> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'picasso-store-'));
  const dynamo = await startEmbeddedDynamo({ dataDir, inMemory: true });
  const { raw, doc } = createDynamoClients({ region: 'us-east-1', url: dynamo.url });
  const prefix = 'store-';
  await createTables(raw, prefix, ALL_TABLES);
  return {
    url: dynamo.url,
    raw,
    doc,
    prefix,
    close: async () => {
      raw.destroy();
      await dynamo.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A tenant id of its own per test, so tests sharing one server never see each other's chains. */
export function freshTenant(): string {
  return `t-${randomUUID().slice(0, 12)}`;
}

/** A manually advanced clock (epoch ms). */
export function manualClock(start = Date.UTC(2030, 0, 1)) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  clock.set = (ms: number) => {
    now = ms;
  };
  return clock;
}
