/**
 * Time to first token through the BFF against the same SDK call straight to the model, at 1, 100
 * and 1,000 concurrent streams. The model is the local Bedrock emulator, storage is dynalite, both
 * on loopback in this process; the BFF is the real app. PRODUCT.md: the BFF may add at most 10 ms
 * at p99 with 100 concurrent streams. `npm run bench:ttft` exits non-zero when that is missed.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { createApp } from '../src/bff/app.js';
import { loadConfig } from '../src/bff/config/loadConfig.js';
import { createBedrockClient } from '../src/bff/model/bedrockModel.js';
import { createLogger } from '../src/bff/observability/logger.js';
import { createRuntime } from '../src/bff/runtime.js';
import { createDynamoClients } from '../src/bff/store/dynamoClient.js';
import { ALL_TABLES } from '../src/bff/store/tables.js';
import { startBedrockEmulator, type BedrockEmulator } from '../src/local/bedrock/server.js';
import { createTables } from '../src/local/createTables.js';
import { startEmbeddedDynamo } from '../src/local/dynamo.js';

const ROOT = path.resolve(import.meta.dirname, '..');
export const BENCH_EMBED_KEY = 'pk_bench_0000000000';
const BUDGET_ADDED_P99_MS = 10;
const MODEL_ID = 'picasso.demo-model-v1';

export interface BenchBff {
  url: string;
  close(): Promise<void>;
}

/** The real app on loopback over the given storage and model, with limits lifted for load. */
export async function startBenchBff(options: { dynamoUrl: string; bedrockUrl: string; heartbeatMs?: number }): Promise<BenchBff> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'picasso-bench-'));
  const { writeFileSync } = await import('node:fs');
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
  const log = createLogger('silent');
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
  server.keepAliveTimeout = 60_000;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const turn of runtime.chat.running()) turn.stop();
      await runtime.chat.drained(5_000);
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function mintStreamToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: BENCH_EMBED_KEY }) });
  if (response.status !== 201) throw new Error(`session mint failed: ${response.status}`);
  const body = (await response.json()) as { tokens: { stream: { token: string } } };
  return body.tokens.stream.token;
}

/** Milliseconds from sending POST /v1/chat to the first `delta` event; the rest is drained. */
async function firstTokenViaBff(baseUrl: string, token: string, text: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/v1/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messageId: randomUUID(), text }),
  });
  if (response.status !== 200) throw new Error(`chat failed: ${response.status} ${await response.text()}`);
  const decoder = new TextDecoder();
  let seen = '';
  let at: number | undefined;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at === undefined) {
      seen += decoder.decode(value, { stream: true });
      if (seen.includes('event: delta')) at = performance.now() - started;
    }
  }
  if (at === undefined) throw new Error('no delta event');
  return at;
}

/** The same measurement with the SDK straight to the model: what a direct integration would see. */
async function firstTokenDirect(client: ReturnType<typeof createBedrockClient>, text: string): Promise<number> {
  const started = performance.now();
  const output = await client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: [{ role: 'user', content: [{ text }] }] }));
  let at: number | undefined;
  for await (const event of output.stream!) {
    if (at === undefined && event.contentBlockDelta) at = performance.now() - started;
  }
  if (at === undefined) throw new Error('no delta');
  return at;
}

export interface TtftLevel {
  concurrency: number;
  samples: number;
  direct: { p50: number; p99: number };
  bff: { p50: number; p99: number };
  addedP50Ms: number;
  addedP99Ms: number;
  /** Streams that failed, by error code; empty when none did. */
  failedDirect: string;
  failedBff: string;
}

export interface TtftBenchResult {
  levels: TtftLevel[];
  budgetAddedP99Ms: number;
  ok: boolean;
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
};

export async function runTtftBench(options: { levels?: Array<{ concurrency: number; rounds: number }> } = {}): Promise<TtftBenchResult> {
  const levels = options.levels ?? [
    { concurrency: 1, rounds: 30 },
    { concurrency: 100, rounds: 2 },
    { concurrency: 1_000, rounds: 1 },
  ];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'picasso-bench-ttft-'));
  const dynamo = await startEmbeddedDynamo({ dataDir, inMemory: true });
  // Short replies with the first chunk at once: the figure is what the BFF adds, not the model.
  const emulator: BedrockEmulator = await startBedrockEmulator({ port: 0, tokenDelayMs: 1 });
  const bff = await startBenchBff({ dynamoUrl: dynamo.url, bedrockUrl: emulator.url });
  const direct = createBedrockClient({ region: 'us-east-1', url: emulator.url });
  const text = 'What are your opening hours? [fault:long=3]';
  const result: TtftLevel[] = [];
  try {
    const maxConcurrency = Math.max(...levels.map((l) => l.concurrency));
    const tokens = await Promise.all(Array.from({ length: maxConcurrency }, () => mintStreamToken(bff.url)));
    // Warm both paths: JIT, sockets and HTTP/2 sessions.
    for (let i = 0; i < 10; i += 1) {
      await firstTokenDirect(direct, text);
      await firstTokenViaBff(bff.url, tokens[0]!, text);
    }
    for (const level of levels) {
      const viaBff: number[] = [];
      const straight: number[] = [];
      const failures = { direct: [] as string[], bff: [] as string[] };
      for (let round = 0; round < level.rounds; round += 1) {
        // Alternate which path goes first so neither always meets a warmer or busier process.
        // A failed stream is counted, not fatal: at high concurrency failures are a finding.
        const collect = async (into: number[], attempts: Array<Promise<number>>, path: 'direct' | 'bff') => {
          for (const outcome of await Promise.allSettled(attempts)) {
            if (outcome.status === 'fulfilled') into.push(outcome.value);
            else failures[path].push(outcome.reason instanceof Error ? (outcome.reason as NodeJS.ErrnoException).code ?? outcome.reason.message : String(outcome.reason));
          }
        };
        const runDirect = () => collect(straight, Array.from({ length: level.concurrency }, () => firstTokenDirect(direct, text)), 'direct');
        const runBff = () => collect(viaBff, Array.from({ length: level.concurrency }, (_, i) => firstTokenViaBff(bff.url, tokens[i]!, text)), 'bff');
        if (round % 2 === 0) {
          await runDirect();
          await runBff();
        } else {
          await runBff();
          await runDirect();
        }
      }
      const d = summary(straight);
      const b = summary(viaBff);
      const failed = (list: string[]) => [...new Set(list)].map((code) => `${list.filter((c) => c === code).length} ${code}`).join(', ');
      result.push({
        concurrency: level.concurrency,
        samples: viaBff.length,
        direct: d,
        bff: b,
        addedP50Ms: b.p50 - d.p50,
        addedP99Ms: b.p99 - d.p99,
        failedDirect: failed(failures.direct),
        failedBff: failed(failures.bff),
      });
    }
  } finally {
    direct.destroy();
    await bff.close();
    await emulator.close();
    await dynamo.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const at100 = result.find((l) => l.concurrency === 100);
  return { levels: result, budgetAddedP99Ms: BUDGET_ADDED_P99_MS, ok: at100 !== undefined && at100.addedP99Ms <= BUDGET_ADDED_P99_MS && at100.failedBff === '' };
}

export function formatTtft(result: TtftBenchResult): string {
  const f = (n: number) => n.toFixed(1);
  const rows = result.levels.map(
    (l) =>
      `| ${l.concurrency} | ${l.samples} | ${f(l.direct.p50)} / ${f(l.direct.p99)} | ${f(l.bff.p50)} / ${f(l.bff.p99)} | ${f(l.addedP50Ms)} / ${f(l.addedP99Ms)} | ${l.concurrency === 100 ? `<= ${result.budgetAddedP99Ms} (p99) ${l.addedP99Ms <= result.budgetAddedP99Ms ? 'ok' : 'OVER BUDGET'}` : 'reference'} | ${l.failedDirect || '0'} / ${l.failedBff || '0'} |`,
  );
  return ['| concurrent | samples | direct p50 / p99 ms | via BFF p50 / p99 ms | added p50 / p99 ms | budget | failed direct / via BFF |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runTtftBench();
  process.stdout.write(`${formatTtft(result)}\n`);
  process.exit(result.ok ? 0 : 1);
}
