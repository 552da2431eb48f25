import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

/** A port that was free a moment ago, for programs that cannot be told to pick their own. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Last lines a child printed, kept for the error message when it fails to start. */
export class OutputTail {
  private lines: string[] = [];
  constructor(private readonly limit = 60) {}
  add(chunk: Buffer | string): void {
    this.lines.push(...String(chunk).split('\n').filter((line) => line.trim() !== ''));
    if (this.lines.length > this.limit) this.lines.splice(0, this.lines.length - this.limit);
  }
  text(): string {
    return this.lines.join('\n');
  }
}

export interface Child {
  process: ChildProcess;
  output: OutputTail;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Starts a helper program whose lifetime is bound to this process, even if the test run dies. */
export function startChild(command: string, args: readonly string[], options: SpawnOptions = {}): Child {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const child of running) child.kill('SIGKILL');
    });
  }
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const output = new OutputTail();
  child.stdout?.on('data', (chunk: Buffer) => output.add(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.add(chunk));
  running.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
    child.once('error', (error) => {
      output.add(`${command}: ${error.message}`);
      running.delete(child);
      resolve(null);
    });
  });
  return { process: child, output, exited };
}

/** SIGTERM, then SIGKILL if it has not gone within `graceMs`. */
export async function stopChild(child: Child, graceMs = 5_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

function getStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Polls `url` until it answers 2xx; fails early with the child's output if the child exits. */
export async function waitForHttpOk(url: string, child: Child | null, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child?.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    const status = await getStatus(url);
    if (status >= 200 && status < 300) return;
    if (exited) throw new Error(`${what} exited before it was ready:\n${child?.output.text() ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} was not ready at ${url} within ${timeoutMs} ms:\n${child?.output.text() ?? ''}`);
}
