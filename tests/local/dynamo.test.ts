import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTables } from '../../src/local/createTables.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../src/local/dynamo.js';
import { TABLES } from '../../src/bff/store/tables.js';
import { deadPid, startDynamoProcess, type DynamoProcess } from './support/dynamoProcess.js';

let dataDir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'picasso-dynamo-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

function track<T extends EmbeddedDynamo | DynamoProcess>(started: T): T {
  cleanups.push('stop' in started ? started.stop : started.close);
  return started;
}

function client(url: string): DynamoDBClient {
  const sdk = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  cleanups.push(async () => sdk.destroy());
  return sdk;
}

const endpointFile = () => path.join(dataDir, 'dynamodb', 'endpoint.json');
const key = { pk: { S: 'acme#session-1' } };

async function putAndGet(url: string, value: string): Promise<string | undefined> {
  const sdk = client(url);
  await createTables(sdk, 't-', [TABLES.summaries]);
  await sdk.send(new PutItemCommand({ TableName: 't-summaries', Item: { ...key, text: { S: value } } }));
  const { Item } = await sdk.send(new GetItemCommand({ TableName: 't-summaries', Key: key, ConsistentRead: true }));
  return Item?.text?.S;
}

describe('startEmbeddedDynamo', () => {
  it('serves the real SDK on loopback, announces itself, and keeps data under dataDir/dynamodb', async () => {
    const first = await startEmbeddedDynamo({ dataDir });
    expect(first.joined).toBe(false);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(JSON.parse(readFileSync(endpointFile(), 'utf8'))).toEqual({ url: first.url, pid: process.pid });
    expect(await putAndGet(first.url, 'kept')).toBe('kept');
    await first.close();
    expect(existsSync(endpointFile())).toBe(false);

    const second = track(await startEmbeddedDynamo({ dataDir }));
    const { Item } = await client(second.url).send(new GetItemCommand({ TableName: 't-summaries', Key: key }));
    expect(Item?.text?.S).toBe('kept');
  });

  it('joins a live server of the same data directory instead of opening LevelDB twice', async () => {
    const owner = track(await startEmbeddedDynamo({ dataDir }));
    const joiner = await startEmbeddedDynamo({ dataDir });
    expect(joiner).toMatchObject({ joined: true, url: owner.url });
    await joiner.close();
    expect(await putAndGet(owner.url, 'still served')).toBe('still served');
  });

  it('lets a second process join the URL of the process that started the server', async () => {
    const owner = track(await startEmbeddedDynamo({ dataDir }));
    const other = track(await startDynamoProcess(dataDir));
    expect(other).toMatchObject({ joined: true, url: owner.url });
    expect(other.pid).not.toBe(process.pid);
  });

  it('elects exactly one owner when two processes start on an empty directory at once', async () => {
    const [a, b] = await Promise.all([startDynamoProcess(dataDir), startDynamoProcess(dataDir)]);
    track(a!);
    track(b!);
    expect([a!.joined, b!.joined].sort()).toEqual([false, true]);
    expect(a!.url).toBe(b!.url);
    expect(await putAndGet(a!.url, 'shared')).toBe('shared');
  });

  it('starts anew when endpoint.json names a dead process', async () => {
    mkdirSync(path.dirname(endpointFile()), { recursive: true });
    const stale = { url: 'http://127.0.0.1:9', pid: await deadPid() };
    writeFileSync(endpointFile(), JSON.stringify(stale));
    const started = track(await startEmbeddedDynamo({ dataDir }));
    expect(started.joined).toBe(false);
    expect(JSON.parse(readFileSync(endpointFile(), 'utf8'))).toEqual({ url: started.url, pid: process.pid });
    expect(await putAndGet(started.url, 'fresh')).toBe('fresh');
  });

  it('fails with an error, not a crash, when something else holds the LevelDB lock', async () => {
    const requireLevel = createRequire(createRequire(import.meta.url).resolve('dynalite'));
    const { Level } = requireLevel('level') as { Level: new (location: string) => { open(): Promise<void>; close(): Promise<void> } };
    const foreign = new Level(path.join(dataDir, 'dynamodb', 'db'));
    await foreign.open();
    cleanups.push(() => foreign.close());
    await expect(startEmbeddedDynamo({ dataDir, startTimeoutMs: 200 })).rejects.toThrow(/locked/);
  });

  it('keeps in-memory servers apart: nothing is written to disk or joined', async () => {
    const a = track(await startEmbeddedDynamo({ dataDir, inMemory: true }));
    const b = track(await startEmbeddedDynamo({ dataDir, inMemory: true }));
    expect([a.joined, b.joined]).toEqual([false, false]);
    expect(a.url).not.toBe(b.url);
    expect(existsSync(path.join(dataDir, 'dynamodb'))).toBe(false);
  });
});
