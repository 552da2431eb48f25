import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { listenDynalite } from './dynamodb/dynaliteServer.js';
import {
  isProcessAlive,
  isReachable,
  readEndpoint,
  removeEndpointIfOwned,
  writeEndpoint,
} from './dynamodb/endpointFile.js';
import { isLevelDbFree } from './dynamodb/levelProbe.js';
import { tryAcquireStartLock } from './dynamodb/startLock.js';

export interface EmbeddedDynamoOptions {
  dataDir: string;
  /** Port when this process starts the server; 0 (default) picks a free one. */
  port?: number;
  /** Keep data in memory only: nothing is shared or joined. */
  inMemory?: boolean;
  /** How long to wait for another process that holds the database but announces no URL yet. */
  startTimeoutMs?: number;
}

export interface EmbeddedDynamo {
  url: string;
  /** True when another live process already served this data directory; close() is then a no-op. */
  joined: boolean;
  close(): Promise<void>;
}

/**
 * Starts dynalite on loopback with data under `${dataDir}/dynamodb`, or joins the one another
 * process already runs there: LevelDB admits a single opener, and BFF processes that share a
 * DATA_DIR must share its storage. The owner announces itself in `endpoint.json`.
 */
export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions): Promise<EmbeddedDynamo> {
  const port = options.port ?? 0;
  if (options.inMemory) {
    const server = await listenDynalite(undefined, port);
    return { url: server.url, joined: false, close: server.close };
  }
  const root = path.resolve(options.dataDir, 'dynamodb');
  const dbPath = path.join(root, 'db');
  mkdirSync(root, { recursive: true });
  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  for (;;) {
    const live = await liveEndpoint(root);
    if (live) return live;
    const release = await tryAcquireStartLock(root);
    if (release) {
      try {
        // Re-check under the lock: the previous holder may have just finished starting.
        const started = (await liveEndpoint(root)) ?? ((await isLevelDbFree(dbPath)) ? await startOwner(root, dbPath, port) : undefined);
        if (started) return started;
      } finally {
        await release();
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`Embedded DynamoDB under ${root} is locked by a process that announces no endpoint`);
    }
    await sleep(50);
  }
}

async function liveEndpoint(root: string): Promise<EmbeddedDynamo | undefined> {
  const record = readEndpoint(root);
  if (!record || !isProcessAlive(record.pid) || !(await isReachable(record.url))) return undefined;
  return { url: record.url, joined: true, close: async () => {} };
}

async function startOwner(root: string, dbPath: string, port: number): Promise<EmbeddedDynamo> {
  const server = await listenDynalite(dbPath, port);
  const record = { url: server.url, pid: process.pid };
  writeEndpoint(root, record);
  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    joined: false,
    close: () => {
      closing ??= (async () => {
        removeEndpointIfOwned(root, record);
        await server.close();
      })();
      return closing;
    },
  };
}
