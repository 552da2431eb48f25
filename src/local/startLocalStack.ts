import { createDynamoClients } from '../bff/store/dynamoClient.js';
import { ALL_TABLES } from '../bff/store/tables.js';
import type { Config } from '../bff/config/config.js';
import type { Endpoints } from '../bff/runtime.js';
import type { Logger } from '../bff/observability/logger.js';
import { startBedrockEmulator } from './bedrock/server.js';
import { createTables } from './createTables.js';
import { startDemoHost } from './demoHost.js';
import { startEmbeddedDynamo } from './dynamo.js';

export interface LocalStack {
  endpoints: Endpoints;
  demoUrl: string | undefined;
  close(): Promise<void>;
}

/**
 * Outside production: starts what `embedded` asks for on loopback, makes sure the tables exist,
 * and serves the demo host page on its own origin (127.0.0.1 vs the BFF's localhost).
 */
export async function startLocalStack(config: Config, log: Logger): Promise<LocalStack> {
  const closers: Array<() => Promise<void>> = [];
  const endpoint = (e: Config['dynamodbEndpoint']) => (e.kind === 'url' ? e.url : undefined);
  let dynamodbUrl = endpoint(config.dynamodbEndpoint);
  let bedrockUrl = endpoint(config.bedrockEndpoint);

  if (config.dynamodbEndpoint.kind === 'embedded') {
    const dynamo = await startEmbeddedDynamo({ dataDir: config.dataDir });
    dynamodbUrl = dynamo.url;
    closers.push(() => dynamo.close());
    log.info({ joined: dynamo.joined }, 'embedded DynamoDB ready');
  }
  if (config.bedrockEndpoint.kind === 'embedded') {
    const emulator = await startBedrockEmulator({ port: 0 });
    bedrockUrl = emulator.url;
    closers.push(() => emulator.close());
    log.info('embedded Bedrock emulator ready');
  }
  if (config.dynamodbEndpoint.kind !== 'aws') {
    const { raw } = createDynamoClients({ region: config.awsRegion, url: dynamodbUrl });
    await createTables(raw, config.tablePrefix, ALL_TABLES);
    raw.destroy();
  }

  let demoUrl: string | undefined;
  if (config.demoHostPort !== 0) {
    const tenant = config.tenants.find((t) => t.enabled);
    if (tenant) {
      const demo = await startDemoHost({
        port: config.demoHostPort,
        bffOrigin: config.publicOrigin,
        embedKey: tenant.embedKey,
        tenantName: tenant.name ?? tenant.id,
      });
      demoUrl = demo.url;
      closers.push(() => demo.close());
    }
  }

  return {
    endpoints: { dynamodbUrl, bedrockUrl },
    demoUrl,
    close: async () => {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  };
}
