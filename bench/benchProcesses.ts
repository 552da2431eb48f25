/**
 * The processes a load benchmark runs on, as deployed: the BFF in a process of its own, and the
 * backing services (dynalite in memory, the model emulator) in another, so neither the client's
 * timing nor the BFF's RSS carries their load. The platform's floor (bench/floorServer.ts) runs in
 * place of the BFF the same way. Forked from this file with `--bff`, `--floor` or `--backing`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startBedrockEmulator } from '../src/local/bedrock/server.js';
import { startEmbeddedDynamo } from '../src/local/dynamo.js';
import { startBenchBff } from './benchBff.js';
import { startFloorServer, type FloorOptions } from './floorServer.js';

export interface BackingUrls {
  dynamoUrl: string;
  bedrockUrl: string;
}

export interface BenchProcess<T> {
  info: T;
  child: ChildProcess;
  /** Sends a request the child answers with one message. */
  ask(message: string): Promise<unknown>;
  stop(): Promise<void>;
}

const self = fileURLToPath(import.meta.url);

async function forkChild<T>(args: string[], execArgv: string[]): Promise<BenchProcess<T>> {
  const child = fork(self, args, { execArgv: ['--import', 'tsx', ...execArgv], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const info = (await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`bench child ${args[0]} exited with ${code}`)));
  })) as T;
  return {
    info,
    child,
    ask: (message) =>
      new Promise((resolve) => {
        child.once('message', resolve);
        child.send(message);
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** dynalite and the emulator (first chunk at once, then one per `tokenDelayMs`). */
export const startBackingProcess = (tokenDelayMs = 1) => forkChild<BackingUrls>(['--backing', String(tokenDelayMs)], []);

/**
 * With BENCH_BFF_PROFILE_DIR set, the BFF process writes a V8 CPU profile of its whole life there
 * (one file per thread; docs/performance.md says how to read one).
 */
const profileArgs = (dir = process.env.BENCH_BFF_PROFILE_DIR) => (dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []);

/**
 * One BFF process on the backing services; answers `rss` with its process.memoryUsage() after a
 * full collection, `cpu` with its process.cpuUsage(), and `settle` once its turns' work is done.
 */
export const startBffProcess = (urls: BackingUrls, options: { heartbeatMs?: number } = {}) =>
  forkChild<{ port: number }>(['--bff', JSON.stringify({ ...urls, ...options })], ['--expose-gc', ...profileArgs()]);

/** The platform's floor in a process of its own, answering `rss` and `cpu` as the BFF's does. */
export const startFloorProcess = (options: FloorOptions) => forkChild<{ port: number }>(['--floor', JSON.stringify(options)], ['--expose-gc']);

/**
 * Serves a started server as a benchmark's child process: answers `rss`, `cpu` and `settle`
 * (once `settled` resolves, where given), stops on SIGTERM or when the benchmark goes, and
 * sends the port the server listens on.
 */
function serveAsChild(server: { port: number; close(): Promise<void>; settled?: () => Promise<void> }): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (message) => {
    if (message === 'rss') {
      gc?.();
      process.send!(process.memoryUsage());
    }
    if (message === 'cpu') process.send!(process.cpuUsage());
    if (message === 'settle') void (server.settled?.() ?? Promise.resolve()).then(() => process.send!('settled'));
  });
  const stop = () => void server.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  process.send!({ port: server.port });
}

async function serveBff(raw: string): Promise<void> {
  const bff = await startBenchBff(JSON.parse(raw) as BackingUrls & { heartbeatMs?: number });
  serveAsChild({ port: Number(new URL(bff.url).port), close: () => bff.close(), settled: () => bff.settled() });
}

async function serveFloor(raw: string): Promise<void> {
  serveAsChild(await startFloorServer(JSON.parse(raw) as FloorOptions));
}

async function serveBacking(tokenDelayMs: number): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'picasso-bench-backing-'));
  const dynamo = await startEmbeddedDynamo({ dataDir, inMemory: true });
  const emulator = await startBedrockEmulator({ port: 0, tokenDelayMs });
  const stop = () => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  process.send!({ dynamoUrl: dynamo.url, bedrockUrl: emulator.url } satisfies BackingUrls);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const at = (flag: string) => process.argv.indexOf(flag);
  if (at('--bff') >= 0) await serveBff(process.argv[at('--bff') + 1]!);
  else if (at('--floor') >= 0) await serveFloor(process.argv[at('--floor') + 1]!);
  else if (at('--backing') >= 0) await serveBacking(Number(process.argv[at('--backing') + 1]));
}
