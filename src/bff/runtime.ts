import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { Config } from './config/config.js';
import { createKeyStore, type KeyStore } from './auth/keyStore.js';
import { createChatService, type ChatService } from './chat/chatService.js';
import { createBedrockClient, createBedrockModel } from './model/bedrockModel.js';
import type { ChatModel } from './model/chatModel.js';
import type { Logger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { createDynamoClients } from './store/dynamoClient.js';
import { MessageStore } from './store/messageStore.js';
import { TABLES, physicalName } from './store/tables.js';
import { TurnLog } from './store/turnLog.js';
import { createPersistence, type Persistence } from './store/persistence.js';
import { enableTtl } from './store/enableTtl.js';
import { resolveIpSalt } from './audit/ipHash.js';
import { keepDetectorsCompiled } from './privacy/keepCompiled.js';

/** Resolved endpoints: `embedded` has been replaced by the loopback URLs of the local stack. */
export interface Endpoints {
  dynamodbUrl: string | undefined;
  bedrockUrl: string | undefined;
}

export interface Runtime {
  keys: KeyStore;
  chat: ChatService;
  messages: MessageStore;
  metrics: Metrics;
  model: ChatModel;
  checkReady: () => Promise<void>;
  persistence: Persistence;
  /** Resolves once the work finished turns do after their streams (summaries, facts, compaction) is done. */
  afterTurnsSettled: () => Promise<void>;
  close: () => Promise<void>;
}

/** Wires the services and ports of one BFF process. */
export async function createRuntime(config: Config, endpoints: Endpoints, log: Logger, clock: () => number = Date.now): Promise<Runtime> {
  const dynamo = createDynamoClients({ region: config.awsRegion, url: endpoints.dynamodbUrl });
  const bedrock = createBedrockClient({ region: config.awsRegion, url: endpoints.bedrockUrl });
  const model = createBedrockModel(bedrock);
  const metrics = createMetrics();
  const keys = await createKeyStore({
    dataDir: config.dataDir,
    production: config.production,
    signingKeysJson: process.env.SIGNING_KEYS,
    onReloadError: () => log.error('signing keys could not be reloaded; keeping the previous set'),
  });
  const turnLog = new TurnLog(dynamo.doc, config.tablePrefix, clock);
  const messages = new MessageStore(dynamo.doc, config.tablePrefix, clock);
  // The clear needs the chat service's stop and the chat service needs memory: the closure breaks the cycle.
  let chat: ChatService | undefined;
  const persistence = createPersistence({
    doc: dynamo.doc,
    prefix: config.tablePrefix,
    clock,
    log,
    model,
    modelId: config.bedrockModelId,
    ipSalt: resolveIpSalt({ env: process.env, dataDir: config.dataDir, production: config.production }),
    turnLog,
    stopTurn: (tenantId, sessionId, messageId) => chat!.stop(tenantId, sessionId, messageId),
    onMemoryFailure: (stage) => metrics.storageErrors.inc({ operation: `memory.${stage}` }),
  });
  // Summaries and facts are redacted after every turn; see keepCompiled.ts for why this matters.
  const detectors = keepDetectorsCompiled();
  if (config.dynamodbEndpoint.kind === 'aws') await enableTtl(dynamo.raw, config.tablePrefix);
  else persistence.sweep.start();
  chat = createChatService({
    model,
    turnLog,
    messages,
    memory: persistence.memory,
    metrics,
    log,
    clock,
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    defaultModelId: config.bedrockModelId,
  });
  return {
    keys,
    chat,
    messages,
    persistence,
    metrics,
    model,
    afterTurnsSettled: async () => {
      await persistence.memory.settled();
      await turnLog.settled();
    },
    checkReady: async () => {
      await dynamo.raw.send(new DescribeTableCommand({ TableName: physicalName(config.tablePrefix, TABLES.turnEvents) }));
    },
    close: async () => {
      chat!.close();
      detectors.stop();
      await persistence.sweep.stop();
      await turnLog.settled();
      await persistence.audit.settled();
      keys.close();
      dynamo.raw.destroy();
      bedrock.destroy();
    },
  };
}
