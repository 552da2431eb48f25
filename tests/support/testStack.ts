import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../src/bff/app.js';
import type { Config } from '../../src/bff/config/config.js';
import { loadConfig } from '../../src/bff/config/loadConfig.js';
import type { DestinationStream } from 'pino';
import { createLogger, type Logger } from '../../src/bff/observability/logger.js';
import { loadStaticAssets, type StaticAssets } from '../../src/bff/routes/staticAssets.js';
import { createRuntime, type Runtime } from '../../src/bff/runtime.js';
import { startBedrockEmulator, type BedrockEmulator } from '../../src/local/bedrock/server.js';
import { createTables } from '../../src/local/createTables.js';
import { startEmbeddedDynamo } from '../../src/local/dynamo.js';
import { createDynamoClients } from '../../src/bff/store/dynamoClient.js';
import { ALL_TABLES } from '../../src/bff/store/tables.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Front-end files for API tests that do not exercise the front end. */
export const STUB_ASSETS: StaticAssets = {
  loaderJs: Buffer.from('/* loader */'),
  widgetHtml: '<!doctype html><script type="application/json" id="picasso-config">__PICASSO_CONFIG__</script>',
  widgetDir: path.join(ROOT, 'dist', 'widget'),
};

export function builtAssets(): StaticAssets {
  if (!existsSync(path.join(ROOT, 'dist', 'loader', 'loader.js'))) throw new Error('run "npm run build" before the front-end tests');
  return loadStaticAssets(path.join(ROOT, 'dist'));
}

export interface TestStack {
  url: string;
  config: Config;
  runtime: Runtime;
  emulator: BedrockEmulator;
  dynamoUrl: string;
  log: Logger;
  close(): Promise<void>;
}

export interface TestStackOptions {
  env?: Record<string, string>;
  assets?: StaticAssets;
  heartbeatMs?: number;
  tokenDelayMs?: number;
  clock?: () => number;
  /** Receives every log line at trace level (e.g. to prove nothing sensitive is logged). */
  logDestination?: DestinationStream;
  /** Reuse running backing services (e.g. to run two BFF processes on one storage). */
  shared?: { dynamoUrl: string; emulator: BedrockEmulator; dataDir: string };
}

/**
 * The real app on a loopback port with real backing servers: dynalite and the Bedrock emulator,
 * reached through the real AWS SDK clients. Each stack gets its own table prefix and data dir.
 */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const dataDir = options.shared?.dataDir ?? mkdtempSync(path.join(tmpdir(), 'picasso-test-'));
  const dynamo = options.shared ? undefined : await startEmbeddedDynamo({ dataDir, inMemory: true });
  const dynamoUrl = options.shared?.dynamoUrl ?? dynamo!.url;
  const emulator = options.shared?.emulator ?? (await startBedrockEmulator({ port: 0, tokenDelayMs: options.tokenDelayMs ?? 2 }));
  const config = loadConfig(
    {
      PORT: '0',
      DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: dynamoUrl,
      BEDROCK_ENDPOINT: emulator.url,
      TENANTS_FILE: path.join(ROOT, 'tests/fixtures/tenants.json'),
      PUBLIC_ORIGIN: 'http://bff.test',
      DEMO_HOST_PORT: '0',
      TABLE_PREFIX: 'test-',
      ...options.env,
    },
    ROOT,
  );
  const { raw } = createDynamoClients({ region: config.awsRegion, url: dynamoUrl });
  await createTables(raw, config.tablePrefix, ALL_TABLES);
  raw.destroy();
  const log = options.logDestination
    ? createLogger('trace', options.logDestination)
    : createLogger(config.logLevel === 'info' ? 'silent' : config.logLevel);
  const clock = options.clock ?? Date.now;
  const runtime = await createRuntime(config, { dynamodbUrl: dynamoUrl, bedrockUrl: emulator.url }, log, clock);
  const app = createApp({
    config,
    ...runtime,
    log,
    assets: options.assets ?? STUB_ASSETS,
    clock,
    isShuttingDown: () => false,
    heartbeatMs: options.heartbeatMs,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    runtime,
    emulator,
    dynamoUrl,
    log,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Generations outlive their clients by design; let them end before storage goes away.
      for (const turn of runtime.chat.running()) turn.stop();
      await runtime.chat.drained(5_000);
      await runtime.close();
      if (!options.shared) {
        await emulator.close();
        await dynamo?.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
