/**
 * Concurrent open SSE streams on one BFF process: RSS per stream and heartbeat lateness.
 * The BFF runs as a child process of its own (so its RSS is its own) with a 1 s heartbeat; the
 * model (hanging after one chunk) and dynalite run in another; everything is on loopback.
 * PRODUCT.md: >= 5,000 streams, <= 40 KB RSS each, heartbeats on time.
 * Needs about two file descriptors per stream on each side: see docs/operations.md (ulimit -n).
 * `npm run bench:streams` exits non-zero when a budget is missed.
 */
import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { mintStreamToken } from './benchBff.js';
import { startBackingProcess, startBffProcess } from './benchProcesses.js';

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
  ok: boolean;
}

/** One SSE client on a raw socket: records when each heartbeat comment arrives. */
function openStream(agent: http.Agent, port: number, token: string, text: string, onHeartbeat: (at: number) => void): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ messageId: randomUUID(), text });
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

interface BffMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  arrayBuffers: number;
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
  const bff = await startBffProcess(backing.info, { heartbeatMs });
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const open: http.ClientRequest[] = [];
  let failedOpens = 0;
  const reasons = new Map<string, number>();
  const gaps: number[] = [];
  try {
    const { port } = bff.info;
    const url = `http://127.0.0.1:${port}`;
    const tokens = await Promise.all(Array.from({ length: Math.min(streams, 500) }, () => mintStreamToken(url)));
    const before = (await bff.ask('rss')) as BffMemory;
    const rssBefore = before.rss;
    const lastBeat = new Map<number, number>();
    let timing = false;
    const text = 'Tell me about opening hours [fault:hang-after=1]';
    const started = performance.now();
    for (let next = 0; next < streams && performance.now() - started < openDeadlineMs; next += openBatch) {
      const batch = Array.from({ length: Math.min(openBatch, streams - next) }, (_, k) => {
        const index = next + k;
        return openStream(agent, port, tokens[index % tokens.length]!, text, (at) => {
          const previous = lastBeat.get(index);
          if (timing && previous !== undefined) gaps.push(at - previous - heartbeatMs);
          lastBeat.set(index, at);
        });
      });
      for (const outcome of await Promise.allSettled(batch)) {
        if (outcome.status === 'fulfilled') {
          outcome.value.setTimeout(0);
          open.push(outcome.value);
        } else {
          failedOpens += 1;
          const reason = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }
      }
    }
    const openSeconds = (performance.now() - started) / 1000;
    if (open.length === 0) throw new Error(`no stream opened (${failedOpens} failed)`);
    // Let the last streams settle into their heartbeat rhythm, then time a fixed window.
    await new Promise((resolve) => setTimeout(resolve, heartbeatMs * 2));
    timing = true;
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    timing = false;
    const after = (await bff.ask('rss')) as BffMemory;
    const rssAfter = after.rss;
    gaps.sort((a, b) => a - b);
    const at = (q: number) => gaps[Math.min(gaps.length - 1, Math.max(0, Math.ceil(q * gaps.length) - 1))] ?? Number.NaN;
    const rssPerStreamKb = (rssAfter - rssBefore) / open.length / 1024;
    const lateShare = gaps.filter((g) => g > LATE_AFTER_MS).length / Math.max(1, gaps.length);
    return {
      streams,
      opened: open.length,
      failedOpens,
      failureReasons: [...reasons].map(([reason, count]) => `${count} × ${reason}`).join('; '),
      openSeconds,
      rssBeforeMb: rssBefore / 2 ** 20,
      rssAfterMb: rssAfter / 2 ** 20,
      rssPerStreamKb,
      heapPerStreamKb: (after.heapUsed - before.heapUsed) / open.length / 1024,
      heapCommittedPerStreamKb: (after.heapTotal - before.heapTotal) / open.length / 1024,
      arrayBuffersPerStreamKb: (after.arrayBuffers - before.arrayBuffers) / open.length / 1024,
      heartbeatMs,
      heartbeats: gaps.length,
      latenessP50Ms: at(0.5),
      latenessP99Ms: at(0.99),
      latenessMaxMs: gaps.at(-1) ?? Number.NaN,
      lateShare,
      fdLimit: execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim(),
      ok: open.length >= BUDGET_STREAMS && rssPerStreamKb <= BUDGET_RSS_PER_STREAM_KB && at(0.99) <= LATE_AFTER_MS,
    };
  } finally {
    for (const req of open) req.destroy();
    agent.destroy();
    await bff.stop();
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
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runStreamsBench();
  process.stdout.write(`${formatStreams(result)}\n`);
  process.exit(result.ok ? 0 : 1);
}
