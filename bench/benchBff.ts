/** The real app over given storage and model endpoints, as the load benchmarks run it. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createApp } from '../src/bff/app.js';
import { loadConfig } from '../src/bff/config/loadConfig.js';
import { createLogger } from '../src/bff/observability/logger.js';
import { createRuntime } from '../src/bff/runtime.js';
import { createDynamoClients } from '../src/bff/store/dynamoClient.js';
import { ALL_TABLES } from '../src/bff/store/tables.js';
import { createTables } from '../src/local/createTables.js';

const ROOT = path.resolve(import.meta.dirname, '..');
export const BENCH_EMBED_KEY = 'pk_bench_0000000000';

export interface BenchBff {
  url: string;
  /** Resolves once every turn has ended and done its work after its stream (summary, facts, compaction). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** The real app on loopback over the given storage and model, with limits lifted for load. */
export async function startBenchBff(options: { dynamoUrl: string; bedrockUrl: string; heartbeatMs?: number }): Promise<BenchBff> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'picasso-bench-'));
  const tenantsFile = path.join(dataDir, 'tenants.json');
  writeFileSync(tenantsFile, JSON.stringify({ tenants: [{ id: 'bench', embedKey: BENCH_EMBED_KEY, allowedOrigins: ['https://bench.example'], enabled: true }] }));
  const config = loadConfig(
    {
      PORT: '0',
      DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: options.dynamoUrl,
      BEDROCK_ENDPOINT: options.bedrockUrl,
      TENANTS_FILE: tenantsFile,
      PUBLIC_ORIGIN: 'http://bench.local',
      DEMO_HOST_PORT: '0',
      TABLE_PREFIX: `bench${randomUUID().slice(0, 6)}-`,
    },
    ROOT,
  );
  const { raw } = createDynamoClients({ region: config.awsRegion, url: options.dynamoUrl });
  await createTables(raw, config.tablePrefix, ALL_TABLES);
  raw.destroy();
  // Errors only, on stderr: a refused request's cause (a storage call that failed, and why) shows
  // in the benchmark's output; nothing is logged per request otherwise.
  const log = createLogger('error', pino.destination(2));
  const runtime = await createRuntime(config, { dynamodbUrl: options.dynamoUrl, bedrockUrl: options.bedrockUrl }, log);
  const unlimited = { windowMs: 60_000, limit: 10_000_000 };
  const app = createApp({
    config,
    ...runtime,
    log,
    assets: { loaderJs: Buffer.from(''), widgetHtml: '<script type="application/json" id="picasso-config">__PICASSO_CONFIG__</script>', widgetDir: dataDir },
    clock: Date.now,
    isShuttingDown: () => false,
    heartbeatMs: options.heartbeatMs,
    rateLimits: { perIp: unlimited, perTenant: unlimited },
  });
  const server: Server = await new Promise((resolve) => {
    // A deep accept queue: a thousand clients connecting at once overflow the default 511.
    const s = app.listen(0, '127.0.0.1', 8_192, () => resolve(s));
  });
  server.keepAliveTimeout = config.keepAliveMs;
  const settled = async () => {
    await runtime.chat.drained(120_000);
    await runtime.afterTurnsSettled();
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    settled,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const turn of runtime.chat.running()) turn.stop();
      // Thousands of stopped replies store their ends, summaries and facts here, as in a
      // production shutdown; none of it is timed, and closing storage under them would only fill
      // the log with writes cut off by the close.
      await settled();
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface MintedTokens {
  stream: { token: string; expiresAt: number };
  manage: { token: string; expiresAt: number };
}

async function tokensFrom(response: Response, expected: number, what: string): Promise<MintedTokens> {
  if (response.status !== expected) throw new Error(`${what} failed: ${response.status}`);
  return ((await response.json()) as { tokens: MintedTokens }).tokens;
}

/** A new session of the bench tenant, and its tokens. */
async function mintSession(baseUrl: string): Promise<MintedTokens> {
  const response = await fetch(`${baseUrl}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: BENCH_EMBED_KEY }) });
  return tokensFrom(response, 201, 'session mint');
}

export async function mintStreamToken(baseUrl: string): Promise<string> {
  return (await mintSession(baseUrl)).stream.token;
}

/** Tokens minted again once less than this of their life is left. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * One client's session for a run that may outlast its stream token (long replies, many turns):
 * like the widget, it renews its tokens with the manage token before the stream token runs out,
 * and keeps its session, so its conversation's history grows as a real one does.
 */
export class BenchSession {
  private constructor(
    private readonly baseUrl: string,
    private tokens: MintedTokens,
  ) {}

  static async open(baseUrl: string): Promise<BenchSession> {
    return new BenchSession(baseUrl, await mintSession(baseUrl));
  }

  /** A stream token with at least a minute of life left. */
  async streamToken(): Promise<string> {
    if (this.tokens.stream.expiresAt - Date.now() < REFRESH_MARGIN_MS) {
      const response = await fetch(`${this.baseUrl}/v1/sessions/refresh`, { method: 'POST', headers: { authorization: `Bearer ${this.tokens.manage.token}` } });
      this.tokens = await tokensFrom(response, 200, 'token refresh');
    }
    return this.tokens.stream.token;
  }
}
