import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBedrockEmulator, type BedrockEmulator } from '../../../src/local/bedrock/server.js';
import { freePort, startChild, stopChild, waitForHttpOk, type Child } from './processes.js';
import { stagingTargets } from './staging.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** What a scenario talks to: a host page embedding the widget, and the BFF behind it. */
export interface E2EStack {
  readonly mode: 'local' | 'staging';
  /** The page with the loader tag, on its own origin. */
  readonly hostUrl: string;
  /** The BFF's public origin. */
  readonly bffUrl: string;
  /** The local Bedrock emulator; null against a deployment. */
  readonly bedrock: BedrockEmulator | null;
  /** The embed key of the tenant on the host page; null against a deployment. */
  readonly embedKey: string | null;
  /** Stops the BFF process (SIGTERM, then SIGKILL) and starts it again on the same port and data. */
  restart(): Promise<void>;
  /** The BFF's recent output, for a failing test's report. */
  bffOutput(): string;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Delay between emulated model tokens; a few ms keeps streams observable but tests fast. */
  tokenDelayMs?: number;
  /** Extra BFF environment (e.g. short token lifetimes). */
  env?: Record<string, string>;
}

function tenantsFile(dir: string, hostOrigin: string, embedKey: string): string {
  const file = path.join(dir, 'tenants.json');
  const tenant = { id: 'e2e-clinic', embedKey, name: 'E2E Clinic', allowedOrigins: [hostOrigin], theme: { title: 'E2E Clinic' }, enabled: true };
  writeFileSync(file, JSON.stringify({ tenants: [tenant] }, null, 2));
  return file;
}

function stagingStack(hostUrl: string, bffUrl: string): E2EStack {
  const unavailable = () => Promise.reject(new Error('a deployment cannot be restarted from the tests'));
  return { mode: 'staging', hostUrl, bffUrl, bedrock: null, embedKey: null, restart: unavailable, bffOutput: () => '', close: async () => {} };
}

/**
 * The local stack as a browser on another machine would see it: the Bedrock emulator in this
 * process, the BFF as a child process (it starts embedded DynamoDB itself), and the BFF's demo
 * host page on a second port. Both are reached by name (`bff.test`, `host.test`) through the
 * fault proxy, so the page and the widget are on different origins.
 */
export async function startE2EStack(options: StackOptions = {}): Promise<E2EStack> {
  const staging = stagingTargets();
  if (staging) return stagingStack(staging.hostUrl, staging.bffUrl);
  if (!existsSync(path.join(ROOT, 'dist'))) throw new Error('no dist/: run "npm run build" before the e2e tests (npm test does)');

  const bedrock = await startBedrockEmulator({ port: 0, tokenDelayMs: options.tokenDelayMs ?? 5 });
  const dir = mkdtempSync(path.join(tmpdir(), 'picasso-e2e-'));
  const port = await freePort();
  const demoPort = await freePort();
  const bffUrl = `http://bff.test:${port}`;
  const hostUrl = `http://host.test:${demoPort}/`;
  const embedKey = `pk_e2e_${randomBytes(8).toString('hex')}`;
  // A production NODE_ENV inherited from the shell would refuse the embedded stack.
  const { NODE_ENV: _ignored, ...inherited } = process.env;
  const env = {
    ...inherited,
    PORT: String(port),
    PUBLIC_ORIGIN: bffUrl,
    DEMO_HOST_PORT: String(demoPort),
    TENANTS_FILE: tenantsFile(dir, new URL(hostUrl).origin, embedKey),
    DATA_DIR: path.join(dir, 'data'),
    DYNAMODB_ENDPOINT: 'embedded',
    BEDROCK_ENDPOINT: bedrock.url,
    LOG_LEVEL: 'warn',
    // Short heartbeats make the stall watchdog (two intervals) fire within seconds.
    SSE_HEARTBEAT_S: '3',
    ...options.env,
  };

  let bff: Child | null = null;
  const start = async () => {
    bff = startChild(process.execPath, ['--import', 'tsx', 'src/bff/start.ts'], { cwd: ROOT, env });
    await waitForHttpOk(`http://127.0.0.1:${port}/healthz`, bff, 'the BFF', 60_000);
    await waitForHttpOk(`http://127.0.0.1:${demoPort}/`, bff, 'the demo host page', 10_000);
  };
  const stop = async () => {
    if (bff) await stopChild(bff, 5_000);
  };

  try {
    await start();
  } catch (error) {
    await stop();
    await bedrock.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    mode: 'local',
    hostUrl,
    bffUrl,
    bedrock,
    embedKey,
    async restart() {
      await stop();
      await start();
    },
    bffOutput: () => bff?.output.text() ?? '',
    async close() {
      await stop();
      await bedrock.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
