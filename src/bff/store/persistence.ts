import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from 'pino';
import { AuditTrail } from '../audit/auditTrail.js';
import { createConversationMemory, type MemoryStage } from '../memory/conversationMemory.js';
import type { ChatModel } from '../model/chatModel.js';
import { createClearSession } from './clearSession.js';
import { FactStore } from './factStore.js';
import { createRetentionSweep } from './retentionSweep.js';
import { createSessionPurge } from './sessionPurge.js';
import { SummaryStore } from './summaryStore.js';
import type { TurnLog } from './turnLog.js';

export interface PersistenceDeps {
  doc: DynamoDBDocumentClient;
  prefix: string;
  /** Epoch ms. */
  clock: () => number;
  log: Logger;
  model: ChatModel;
  /** Model for summaries. */
  modelId: string;
  /** See resolveIpSalt. */
  ipSalt: string;
  turnLog: TurnLog;
  /** The chat service's stop, so a clear can end a running generation before deleting. */
  stopTurn?: (tenantId: string, sessionId: string, messageId: string) => Promise<unknown>;
  onMemoryFailure?: (stage: MemoryStage) => void;
  sweepIntervalMs?: number;
}

/** The audit trail, conversation memory, clear and retention sweep of one process, wired together. */
export function createPersistence(deps: PersistenceDeps) {
  const { doc, prefix, clock, log } = deps;
  const audit = new AuditTrail({ doc, prefix, clock, ipSalt: deps.ipSalt });
  const summaries = new SummaryStore(doc, prefix, clock);
  const facts = new FactStore(doc, prefix, clock);
  const memory = createConversationMemory({
    model: deps.model,
    summaries,
    facts,
    clock,
    log,
    modelId: deps.modelId,
    turnExists: async (ref) => (await deps.turnLog.header(ref)) !== undefined,
    ...(deps.onMemoryFailure ? { onFailure: deps.onMemoryFailure } : {}),
  });
  const purge = createSessionPurge({ doc, prefix, clock });
  const clearSession = createClearSession({
    purge,
    audit,
    log,
    memoryIdle: memory.idle,
    ...(deps.stopTurn ? { stopTurn: deps.stopTurn } : {}),
  });
  const sweep = createRetentionSweep({ doc, prefix, clock, intervalMs: deps.sweepIntervalMs ?? 10 * 60_000, audit, log });
  return { audit, summaries, facts, memory, purge, clearSession, sweep };
}

export type Persistence = ReturnType<typeof createPersistence>;
