import type { AddressInfo } from 'node:net';
import { createDualProtocolServer } from './dualProtocol.js';
import { InvocationLog, type Invocation } from './invocations.js';
import { createRouter, type RouterContext } from './router.js';

export type { Invocation } from './invocations.js';

export interface BedrockEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback only; defaults to 127.0.0.1. */
  host?: string;
  /** Pause between streamed chunks unless `[fault:slow=MS]` says otherwise; default 15. */
  tokenDelayMs?: number;
}

export interface BedrockEmulator {
  url: string;
  port: number;
  invocations(): Invocation[];
  resetInvocations(): void;
  /** Replies whose response is still open (streaming, slow or hanging). */
  openReplies(): number;
  close(): Promise<void>;
}

/** A local Bedrock Runtime (Converse, ConverseStream) on loopback; see docs/bedrock-emulator.md. */
export async function startBedrockEmulator(options: BedrockEmulatorOptions = {}): Promise<BedrockEmulator> {
  const host = options.host ?? '127.0.0.1';
  const context: RouterContext = {
    log: new InvocationLog(),
    throttledOnce: new Set(),
    openReplies: new Set(),
    tokenDelayMs: options.tokenDelayMs ?? 15,
  };
  const { server, destroyConnections } = createDualProtocolServer(createRouter(context), (error) => {
    process.emitWarning(`bedrock emulator: ${error instanceof Error ? error.message : String(error)}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    invocations: () => context.log.list(),
    resetInvocations: () => {
      context.log.reset();
      context.throttledOnce.clear();
    },
    openReplies: () => context.openReplies.size,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const stop of [...context.openReplies]) stop();
      destroyConnections();
      await closed;
    },
  };
}
