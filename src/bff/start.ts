import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { Config } from './config/config.js';
import { ConfigError, loadConfig } from './config/loadConfig.js';
import { createLogger } from './observability/logger.js';
import { bedrockOrigin, createModelProbe } from './observability/modelProbe.js';
import { loadStaticAssets } from './routes/staticAssets.js';
import { createRuntime } from './runtime.js';

/** Below the 30 s most orchestrators (ECS stopTimeout, Kubernetes grace period) wait before SIGKILL. */
const SHUTDOWN_GRACE_MS = 25_000;
/** Closing storage clients and the local stack must not keep a drained process alive. */
const CLOSE_TIMEOUT_MS = 3_000;

function endpointsOf(config: Config) {
  const url = (e: Config['dynamodbEndpoint']) => (e.kind === 'url' ? e.url : undefined);
  return { dynamodbUrl: url(config.dynamodbEndpoint), bedrockUrl: url(config.bedrockEndpoint) };
}

/** `npm start`: the BFF, with the embedded stack and demo host page outside production. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`picasso: configuration error: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const assets = loadStaticAssets();
  // The local stack is only loaded outside production, so production builds carry none of it.
  const stack = config.production
    ? { endpoints: endpointsOf(config), demoUrl: undefined, close: async () => {} }
    : await (await import('../local/startLocalStack.js')).startLocalStack(config, log);
  const runtime = await createRuntime(config, stack.endpoints, log);
  const modelReachable = createModelProbe({
    origin: stack.endpoints.bedrockUrl ?? bedrockOrigin(config.awsRegion),
    gauge: runtime.metrics.modelReachable,
  });
  let shuttingDown = false;
  const app = createApp({
    config,
    ...runtime,
    checkReady: async () => {
      await Promise.all([runtime.checkReady(), modelReachable()]);
    },
    log,
    assets,
    clock: Date.now,
    isShuttingDown: () => shuttingDown,
  });
  const server = app.listen(config.port);
  server.keepAliveTimeout = config.keepAliveMs;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  log.info({ port, publicOrigin: config.publicOrigin }, 'listening');
  if (stack.demoUrl) process.stdout.write(`\n  Picasso demo: ${stack.demoUrl}\n  BFF:          ${config.publicOrigin}\n\n`);

  // Stop accepting, let running generations finish and persist (bounded), then close: clients
  // still connected get the rest of their reply here; clients cut off resume on another process
  // from the stored log. A second signal skips the wait.
  const shutdown = async (signal: string) => {
    if (shuttingDown) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    shuttingDown = true;
    log.info({ signal, running: runtime.chat.running().length }, 'shutting down');
    server.close();
    server.closeIdleConnections();
    const graceEnds = Date.now() + SHUTDOWN_GRACE_MS;
    const drained = await runtime.chat.drained(SHUTDOWN_GRACE_MS);
    if (!drained) log.warn({ running: runtime.chat.running().length }, 'generations still running at shutdown; they will be marked interrupted');
    // A finished turn's summary and facts are made after its reply: they are stored before the
    // process goes, within the same grace.
    const settled = await Promise.race([
      runtime.afterTurnsSettled().then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), Math.max(0, graceEnds - Date.now())).unref()),
    ]);
    if (!settled) log.warn('summaries or facts still being made at shutdown; those turns keep none');
    server.closeAllConnections();
    const closed = await Promise.race([
      (async () => {
        await runtime.close();
        await stack.close();
        return true;
      })().catch(() => false),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), CLOSE_TIMEOUT_MS).unref()),
    ]);
    if (!closed) log.warn('storage clients did not close in time');
    log.info({ drained }, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // Settings checked while wiring (signing keys, the audit salt) fail like those checked first.
  if (error instanceof ConfigError) {
    process.stderr.write(`picasso: configuration error: ${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`picasso: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
