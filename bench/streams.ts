/**
 * Concurrent open SSE streams on one BFF process: RSS per stream and heartbeat lateness.
 * The BFF runs as a child process of its own (so its RSS is its own) with a 1 s heartbeat; the
 * model (hanging after one chunk) and dynalite run in another; everything is on loopback. The
 * platform's floor (bench/floorServer.ts) then holds the same streams in the BFF's place, for
 * reference: what the parts the BFF is built from hold per stream without the product.
 * PRODUCT.md: >= 5,000 streams, <= 40 KB RSS each, heartbeats on time.
 * Needs about two file descriptors per stream on each side: see docs/operations.md (ulimit -n).
 * `npm run bench:streams` exits non-zero when a budget is missed.
 */
import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { mintStreamToken } from './benchBff.js';
import { startBackingProcess, startBffProcess, startFloorProcess, type BackingUrls } from './benchProcesses.js';
import { FLOOR_LABELS, FLOORS, type FloorName } from './floorServer.js';

const BUDGET_RSS_PER_STREAM_KB = 40;
const BUDGET_STREAMS = 5_000;
/** A heartbeat later than this past its interval counts as late. */
const LATE_AFTER_MS = 250;

export interface StreamsBenchOptions {
  streams?: number;
  heartbeatMs?: number;
  /** How long all streams stay open while heartbeats are timed. */
  holdMs?: number;
  /** Streams being opened at once. */
  openBatch?: number;
  /**
   * Opening stops here, whatever the count, so the benchmark stays bounded in time. Every stream
   * is a turn (claim, history, memory, user message, model call), and a process starts some 50
   * a second here, so 5,000 take about 90 s to open.
   */
  openDeadlineMs?: number;
  /** The platform's floor holding the same streams, for reference (default true). */
  floors?: boolean;
}

/** What a variant of the platform's floor holds per open stream. */
export interface FloorMemory {
  name: FloorName;
  label: string;
  opened: number;
  rssPerStreamKb: number;
  heapPerStreamKb: number;
  heapCommittedPerStreamKb: number;
  arrayBuffersPerStreamKb: number;
}

export interface StreamsBenchResult {
  streams: number;
  opened: number;
  failedOpens: number;
  /** Why opens failed, counted by reason. */
  failureReasons: string;
  openSeconds: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssPerStreamKb: number;
  /** Live JavaScript objects per stream, after a full collection. */
  heapPerStreamKb: number;
  /**
   * The JavaScript heap's pages per stream, live objects and the free space between them: what
   * the heap adds to the RSS. Short-lived objects of the turns that open the streams outlive
   * young-generation collections, are moved to the old generation and die there, leaving its
   * pages partly empty; the full collection before each measurement does not compact them all.
   */
  heapCommittedPerStreamKb: number;
  /** Buffers outside the heap (ArrayBuffer backing stores) per stream, after a full collection. */
  arrayBuffersPerStreamKb: number;
  heartbeatMs: number;
  heartbeats: number;
  latenessP50Ms: number;
  latenessP99Ms: number;
  latenessMaxMs: number;
  lateShare: number;
  fdLimit: string;
  /** The same streams held by the platform's floor instead of the BFF: a reference, no budget. */
  floors: FloorMemory[];
  ok: boolean;
}

/** Every stream is a generation that stays running: the model sends one chunk and then nothing. */
const TEXT = 'Tell me about opening hours [fault:hang-after=1]';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One SSE client on a raw socket: records when each heartbeat comment arrives. */
function openStream(agent: http.Agent, port: number, token: string, onHeartbeat: (at: number) => void): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ messageId: randomUUID(), text: TEXT });
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: '/v1/chat', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        if (res.statusCode !== 200) {
          // The error's code says which part refused (storage, model, limits); it goes into the result.
          let answer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (answer += chunk));
          res.on('end', () => {
            const code = /"code":"([a-z_]+)"/.exec(answer)?.[1] ?? 'no error code';
            reject(new Error(`chat answered ${res.statusCode} ${code}`));
          });
          res.on('error', () => reject(new Error(`chat answered ${res.statusCode}`)));
          return;
        }
        res.setEncoding('utf8');
        let first = true;
        res.on('data', (chunk: string) => {
          if (first) {
            first = false;
            resolve(req);
          }
          for (let i = chunk.indexOf(': ping'); i >= 0; i = chunk.indexOf(': ping', i + 1)) onHeartbeat(performance.now());
        });
        res.on('error', () => undefined);
      },
    );
    req.on('error', reject);
    // A stream that has not started within this is a failed open, not a hung benchmark.
    req.setTimeout(15_000, () => req.destroy(new Error('stream did not start within 15 s')));
    req.end(body);
  });
}

interface ProcessMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  arrayBuffers: number;
}

/** What a process holds per open stream: the growth of its memory, after a full collection each time, over the streams. */
function perStream(before: ProcessMemory, after: ProcessMemory, streams: number) {
  const kb = (field: keyof ProcessMemory) => (after[field] - before[field]) / streams / 1024;
  return { rssPerStreamKb: kb('rss'), heapPerStreamKb: kb('heapUsed'), heapCommittedPerStreamKb: kb('heapTotal'), arrayBuffersPerStreamKb: kb('arrayBuffers') };
}

/** Streams opened `batch` at a time until `count` are open or `deadlineMs` has passed. */
async function openStreams(
  options: { port: number; count: number; batch: number; deadlineMs: number; tokens: readonly string[] },
  onHeartbeat: (stream: number, at: number) => void,
) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const open: http.ClientRequest[] = [];
  const reasons = new Map<string, number>();
  let failed = 0;
  const started = performance.now();
  for (let next = 0; next < options.count && performance.now() - started < options.deadlineMs; next += options.batch) {
    const batch = Array.from({ length: Math.min(options.batch, options.count - next) }, (_, k) => {
      const index = next + k;
      return openStream(agent, options.port, options.tokens[index % options.tokens.length]!, (at) => onHeartbeat(index, at));
    });
    for (const outcome of await Promise.allSettled(batch)) {
      if (outcome.status === 'fulfilled') {
        outcome.value.setTimeout(0);
        open.push(outcome.value);
      } else {
        failed += 1;
        const reason = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
  }
  return {
    open,
    failed,
    reasons,
    seconds: (performance.now() - started) / 1000,
    close() {
      for (const req of open) req.destroy();
      agent.destroy();
    },
  };
}

/**
 * The platform's floor (bench/floorServer.ts) holding the same streams the same way, one variant
 * after another, each in a process of its own: what Node's HTTP server, a model call through the
 * AWS SDK and Express hold per stream without any of the product.
 */
async function floorMemory(backing: BackingUrls, options: { streams: number; heartbeatMs: number; holdMs: number; openBatch: number; openDeadlineMs: number }): Promise<FloorMemory[]> {
  const floors: FloorMemory[] = [];
  for (const name of ['nodeHttp', 'nodeHttpModel', 'expressModel'] as const) {
    const floor = await startFloorProcess({ ...backing, ...FLOORS[name], heartbeatMs: options.heartbeatMs });
    try {
      const before = (await floor.ask('rss')) as ProcessMemory;
      const streams = await openStreams({ port: floor.info.port, count: options.streams, batch: options.openBatch, deadlineMs: options.openDeadlineMs, tokens: [''] }, () => undefined);
      try {
        await sleep(options.heartbeatMs * 2 + options.holdMs);
        const after = (await floor.ask('rss')) as ProcessMemory;
        floors.push({ name, label: FLOOR_LABELS[name], opened: streams.open.length, ...perStream(before, after, Math.max(1, streams.open.length)) });
      } finally {
        streams.close();
      }
    } finally {
      await floor.stop();
    }
  }
  return floors;
}

export async function runStreamsBench(options: StreamsBenchOptions = {}): Promise<StreamsBenchResult> {
  const streams = options.streams ?? BUDGET_STREAMS;
  const heartbeatMs = options.heartbeatMs ?? 1_000;
  const holdMs = options.holdMs ?? 10_000;
  const openBatch = options.openBatch ?? 100;
  const openDeadlineMs = options.openDeadlineMs ?? 180_000;
  // Storage and the model get a process of their own: neither the BFF's RSS nor the client's
  // heartbeat timing may carry their load (every running generation renews a lease).
  const backing = await startBackingProcess();
  try {
    const bff = await startBffProcess(backing.info, { heartbeatMs });
    let measured: Omit<StreamsBenchResult, 'floors' | 'ok'>;
    try {
      const { port } = bff.info;
      const url = `http://127.0.0.1:${port}`;
      const tokens = await Promise.all(Array.from({ length: Math.min(streams, 500) }, () => mintStreamToken(url)));
      const before = (await bff.ask('rss')) as ProcessMemory;
      const lastBeat = new Map<number, number>();
      const gaps: number[] = [];
      let timing = false;
      const opened = await openStreams({ port, count: streams, batch: openBatch, deadlineMs: openDeadlineMs, tokens }, (index, at) => {
        const previous = lastBeat.get(index);
        if (timing && previous !== undefined) gaps.push(at - previous - heartbeatMs);
        lastBeat.set(index, at);
      });
      try {
        if (opened.open.length === 0) throw new Error(`no stream opened (${opened.failed} failed)`);
        // Let the last streams settle into their heartbeat rhythm, then time a fixed window.
        await sleep(heartbeatMs * 2);
        timing = true;
        await sleep(holdMs);
        timing = false;
        const after = (await bff.ask('rss')) as ProcessMemory;
        gaps.sort((a, b) => a - b);
        const at = (q: number) => gaps[Math.min(gaps.length - 1, Math.max(0, Math.ceil(q * gaps.length) - 1))] ?? Number.NaN;
        measured = {
          streams,
          opened: opened.open.length,
          failedOpens: opened.failed,
          failureReasons: [...opened.reasons].map(([reason, count]) => `${count} × ${reason}`).join('; '),
          openSeconds: opened.seconds,
          rssBeforeMb: before.rss / 2 ** 20,
          rssAfterMb: after.rss / 2 ** 20,
          ...perStream(before, after, opened.open.length),
          heartbeatMs,
          heartbeats: gaps.length,
          latenessP50Ms: at(0.5),
          latenessP99Ms: at(0.99),
          latenessMaxMs: gaps.at(-1) ?? Number.NaN,
          lateShare: gaps.filter((g) => g > LATE_AFTER_MS).length / Math.max(1, gaps.length),
          fdLimit: execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim(),
        };
      } finally {
        opened.close();
      }
    } finally {
      await bff.stop();
    }
    const floors = options.floors === false ? [] : await floorMemory(backing.info, { streams, heartbeatMs, holdMs, openBatch, openDeadlineMs });
    const ok = measured.opened >= BUDGET_STREAMS && measured.rssPerStreamKb <= BUDGET_RSS_PER_STREAM_KB && measured.latenessP99Ms <= LATE_AFTER_MS;
    return { ...measured, floors, ok };
  } finally {
    await backing.stop();
  }
}

export function formatStreams(r: StreamsBenchResult): string {
  const f = (n: number, d = 1) => n.toFixed(d);
  return [
    '| what | figure | budget |',
    '|---|---|---|',
    `| concurrent open SSE streams, one BFF process | ${r.opened} of ${r.streams} opened in ${f(r.openSeconds)} s (${r.failedOpens} failed to open${r.failureReasons ? `: ${r.failureReasons}` : ''}) | >= ${BUDGET_STREAMS} ${r.opened >= BUDGET_STREAMS ? 'ok' : 'MISSED'} |`,
    `| RSS per open stream | ${f(r.rssPerStreamKb)} KB (${f(r.rssBeforeMb)} MB -> ${f(r.rssAfterMb)} MB) | <= ${BUDGET_RSS_PER_STREAM_KB} KB ${r.rssPerStreamKb <= BUDGET_RSS_PER_STREAM_KB ? 'ok' : 'OVER BUDGET'} |`,
    `| of which JavaScript heap pages | ${f(r.heapCommittedPerStreamKb)} KB per stream, holding ${f(r.heapPerStreamKb)} KB of live objects | — |`,
    `| of which buffers outside the heap | ${f(r.arrayBuffersPerStreamKb)} KB per stream | — |`,
    `| file descriptor limit (ulimit -n) | ${r.fdLimit} | >= 2 x streams + 100 |`,
    `| heartbeat lateness (interval ${r.heartbeatMs} ms, ${r.heartbeats} beats) | p50 ${f(r.latenessP50Ms)} ms, p99 ${f(r.latenessP99Ms)} ms, max ${f(r.latenessMaxMs)} ms; ${f(r.lateShare * 100, 2)} % later than ${LATE_AFTER_MS} ms | p99 <= ${LATE_AFTER_MS} ms ${r.latenessP99Ms <= LATE_AFTER_MS ? 'ok' : 'LATE'} |`,
    ...(r.floors.length === 0
      ? []
      : [
          '',
          'The same streams held by the platform alone (bench/floorServer.ts: no token, turn, storage or log), each variant in a process of its own:',
          '',
          '| platform floor | streams | RSS per stream | heap pages per stream | live objects per stream |',
          '|---|---|---|---|---|',
          ...r.floors.map((fl) => `| ${fl.label} | ${fl.opened} | ${f(fl.rssPerStreamKb)} KB | ${f(fl.heapCommittedPerStreamKb)} KB | ${f(fl.heapPerStreamKb)} KB |`),
        ]),
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runStreamsBench();
  process.stdout.write(`${formatStreams(result)}\n`);
  process.exit(result.ok ? 0 : 1);
}
