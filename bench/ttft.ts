/**
 * Time to first token through the BFF against the same SDK call straight to the model, with 1,
 * 100 and 1,000 streams open at once. As deployed, the BFF is a process of its own, and storage
 * (dynalite) and the model (the emulator) run in another; this process is the clients. Each level
 * keeps that many streams open: every client opens a stream, reads it to the end, and opens the
 * next. The clients' first requests are spread over one reply's length, so turns start at the
 * steady rate that many open streams make (100 streams of 4 s: 25 a second) rather than all at
 * once. Beside the times it reports the BFF process's CPU per turn, which says whether its event
 * loop keeps up with the level (docs/performance.md). The budget's level then runs once more
 * through the platform's floor (bench/floorServer.ts) in the BFF's place, for reference.
 * PRODUCT.md: the BFF may add at most 10 ms at p99 with 100 concurrent streams.
 * `npm run bench:ttft` exits non-zero when missed.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { createBedrockClient } from '../src/bff/model/bedrockModel.js';
import { BenchSession } from './benchBff.js';
import { startBackingProcess, startBffProcess, startFloorProcess, type BenchProcess } from './benchProcesses.js';
import { FLOOR_LABELS, FLOORS } from './floorServer.js';

const BUDGET_ADDED_P99_MS = 10;
const MODEL_ID = 'picasso.demo-model-v1';
const TOKEN_DELAY_MS = 40;
const REPLY_CHUNKS = 100;
/** How long one reply streams: the emulator sends a chunk every TOKEN_DELAY_MS. */
const REPLY_MS = TOKEN_DELAY_MS * REPLY_CHUNKS;
/** The level the budget is set at (PRODUCT.md). */
const BUDGET_LEVEL = { concurrency: 100, perClient: 3 };

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
  /**
   * The BFF process's CPU time per turn through it (all its threads, the turn's work after its
   * stream included), and that time times the turns per second of the level: how many cores the
   * load asked of it. Above about 1 its event loop cannot keep up, and the added time is queueing.
   */
  bffCpuPerTurnMs: number;
  bffCores: number;
  /** Streams that failed, by error code; empty when none did. */
  failedDirect: string;
  failedBff: string;
}

export interface TtftBenchResult {
  levels: TtftLevel[];
  /**
   * The budget's level through the platform's floor instead of the BFF (bench/floorServer.ts):
   * what Express, the SDK and one storage write add on this machine. A reference, no budget.
   */
  floor?: TtftLevel;
  budgetAddedP99Ms: number;
  ok: boolean;
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
};

/** `streams` clients, each opening `perClient` streams one after another, their starts spread over `spreadMs`. */
async function closedLoop(streams: number, perClient: number, spreadMs: number, measure: (client: number) => Promise<number>) {
  const samples: number[] = [];
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: streams }, async (_, client) => {
      await new Promise((resolve) => setTimeout(resolve, (client / streams) * spreadMs));
      for (let i = 0; i < perClient; i += 1) {
        try {
          samples.push(await measure(client));
        } catch (error) {
          // A failed stream is counted, not fatal: at high concurrency failures are a finding.
          failures.push(error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error));
        }
      }
    }),
  );
  return { samples, failures };
}

type Sampler = (client: number) => Promise<number>;

/**
 * One level: the same clients straight to the model and through a server process, which goes
 * first alternating with `index` so neither always meets a warmer or busier machine. `open`
 * prepares the clients of the run through the server (their sessions) before its clock starts.
 */
async function measureLevel(
  level: { concurrency: number; perClient: number },
  index: number,
  runDirect: Sampler,
  server: Pick<BenchProcess<unknown>, 'ask'>,
  open: (clients: number) => Promise<Sampler>,
): Promise<TtftLevel> {
  const spreadMs = level.concurrency === 1 ? 0 : REPLY_MS;
  const straightRun = () => closedLoop(level.concurrency, level.perClient, spreadMs, runDirect);
  let cpu = { perTurnMs: Number.NaN, cores: Number.NaN };
  const serverRun = async () => {
    const sample = await open(level.concurrency);
    const cpuBefore = (await server.ask('cpu')) as NodeJS.CpuUsage;
    const startedAt = performance.now();
    const run = await closedLoop(level.concurrency, level.perClient, spreadMs, sample);
    const wallMs = performance.now() - startedAt;
    // A turn's last storage writes and its summary and facts come after its stream ends:
    // their CPU belongs to the turn too.
    await server.ask('settle');
    const cpuAfter = (await server.ask('cpu')) as NodeJS.CpuUsage;
    const cpuMs = (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / 1000;
    const turns = run.samples.length + run.failures.length;
    cpu = { perTurnMs: cpuMs / turns, cores: cpuMs / wallMs };
    return run;
  };
  const directFirst = index % 2 === 0;
  const first = await (directFirst ? straightRun() : serverRun());
  const second = await (directFirst ? serverRun() : straightRun());
  const [straight, through] = directFirst ? [first, second] : [second, first];
  const d = summary(straight.samples);
  const b = summary(through.samples);
  const failed = (list: string[]) => [...new Set(list)].map((code) => `${list.filter((c) => c === code).length} ${code}`).join(', ');
  return {
    concurrency: level.concurrency,
    samples: through.samples.length,
    direct: d,
    bff: b,
    addedP50Ms: b.p50 - d.p50,
    addedP99Ms: b.p99 - d.p99,
    bffCpuPerTurnMs: cpu.perTurnMs,
    bffCores: cpu.cores,
    failedDirect: failed(straight.failures),
    failedBff: failed(through.failures),
  };
}

export async function runTtftBench(options: { levels?: Array<{ concurrency: number; perClient: number }>; floor?: boolean } = {}): Promise<TtftBenchResult> {
  const levels = options.levels ?? [
    { concurrency: 1, perClient: 20 },
    BUDGET_LEVEL,
    { concurrency: 1_000, perClient: 1 },
  ];
  // Replies as long as a real model's: about 100 chunks 40 ms apart, so a stream stays open some
  // 4 s and 100 open streams mean about 25 new turns a second, each with its storage writes.
  const backing = await startBackingProcess(TOKEN_DELAY_MS);
  const direct = createBedrockClient({ region: 'us-east-1', url: backing.info.bedrockUrl });
  const text = `What are your opening hours? [fault:long=${REPLY_CHUNKS}]`;
  const runDirect = () => firstTokenDirect(direct, text);
  const result: TtftLevel[] = [];
  let floor: TtftLevel | undefined;
  try {
    const bff = await startBffProcess(backing.info);
    try {
      const bffUrl = `http://127.0.0.1:${bff.info.port}`;
      const warm = await BenchSession.open(bffUrl);
      // Warm both paths: JIT, sockets and HTTP/2 sessions.
      for (let i = 0; i < 10; i += 1) {
        await runDirect();
        await firstTokenViaBff(bffUrl, await warm.streamToken(), text);
      }
      for (const [index, level] of levels.entries()) {
        // A session per client and level. A token renewed between two turns is renewed before the
        // next one's clock starts, and its CPU, a small fraction of a turn's, counts as the turn's.
        result.push(
          await measureLevel(level, index, runDirect, bff, async (clients) => {
            const sessions = await Promise.all(Array.from({ length: clients }, () => BenchSession.open(bffUrl)));
            return async (client) => firstTokenViaBff(bffUrl, await sessions[client]!.streamToken(), text);
          }),
        );
      }
    } finally {
      await bff.stop();
    }
    if (options.floor !== false) {
      // The budget's level through the platform's floor (bench/floorServer.ts): Express and the
      // SDK relaying the model, with the one storage write every turn needs before its stream.
      const server = await startFloorProcess({ ...backing.info, ...FLOORS.expressModelStored, heartbeatMs: 15_000 });
      try {
        const floorUrl = `http://127.0.0.1:${server.info.port}`;
        for (let i = 0; i < 10; i += 1) await firstTokenViaBff(floorUrl, '', text);
        floor = await measureLevel(BUDGET_LEVEL, 1, runDirect, server, async () => () => firstTokenViaBff(floorUrl, '', text));
      } finally {
        await server.stop();
      }
    }
  } finally {
    direct.destroy();
    await backing.stop();
  }
  const atBudget = result.find((l) => l.concurrency === BUDGET_LEVEL.concurrency);
  return {
    levels: result,
    ...(floor ? { floor } : {}),
    budgetAddedP99Ms: BUDGET_ADDED_P99_MS,
    ok: atBudget !== undefined && atBudget.addedP99Ms <= BUDGET_ADDED_P99_MS && atBudget.failedBff === '',
  };
}

export function formatTtft(result: TtftBenchResult): string {
  const f = (n: number) => n.toFixed(1);
  const row = (l: TtftLevel, what: string, budget: string) =>
    `| ${what} | ${l.samples} | ${f(l.direct.p50)} / ${f(l.direct.p99)} | ${f(l.bff.p50)} / ${f(l.bff.p99)} | ${f(l.addedP50Ms)} / ${f(l.addedP99Ms)} | ${budget} | ${f(l.bffCpuPerTurnMs)} ms, ${l.bffCores.toFixed(2)} | ${l.failedDirect || '0'} / ${l.failedBff || '0'} |`;
  const rows = result.levels.map((l) =>
    row(l, String(l.concurrency), l.concurrency === BUDGET_LEVEL.concurrency ? `<= ${result.budgetAddedP99Ms} (p99) ${l.addedP99Ms <= result.budgetAddedP99Ms ? 'ok' : 'OVER BUDGET'}` : 'reference'),
  );
  if (result.floor) {
    rows.push(row(result.floor, `${result.floor.concurrency}, through the platform's floor instead: ${FLOOR_LABELS.expressModelStored}`, 'reference'));
  }
  return [
    '| concurrent | samples | direct p50 / p99 ms | via BFF p50 / p99 ms | added p50 / p99 ms | budget | BFF CPU per turn, cores used | failed direct / via BFF |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runTtftBench();
  process.stdout.write(`${formatTtft(result)}\n`);
  process.exit(result.ok ? 0 : 1);
}
