import type { Logger } from 'pino';
import type { ChatModel } from '../model/chatModel.js';
import type { FactStore } from '../store/factStore.js';
import type { SummaryStore } from '../store/summaryStore.js';
import { sessionKey } from '../store/tables.js';
import type { TurnRef } from '../store/turnLog.js';
import { extractFacts } from './extractFacts.js';
import type { Fact } from './fact.js';
import { safeFacts } from './safeFacts.js';
import { summaryFromModel, summaryRequest } from './summarise.js';

export type MemoryStage = 'facts' | 'summary' | 'context';

export interface ConversationMemoryDeps {
  model: ChatModel;
  summaries: SummaryStore;
  facts: FactStore;
  /** Epoch ms. */
  clock: () => number;
  log: Logger;
  /** Model used for summaries. */
  modelId: string;
  /**
   * Whether the turn is still stored. Checked right before writing, so a session cleared while
   * its summary was being made does not get one back.
   */
  turnExists?: (ref: TurnRef) => Promise<boolean>;
  onFailure?: (stage: MemoryStage) => void;
  summaryTimeoutMs?: number;
}

export interface CompletedTurn extends TurnRef {
  userText: string;
  replyText: string;
}

export interface MemoryContext {
  summary?: string;
  facts: Fact[];
}

/**
 * What a session remembers beyond its recent messages: a running summary made by the model and
 * a ledger of facts found by patterns, both redacted before they are stored. Work runs after a
 * turn, off the streaming path, one turn at a time per session.
 */
export function createConversationMemory(deps: ConversationMemoryDeps) {
  const queues = new Map<string, Promise<void>>();
  let failures = 0;
  const fail = (stage: MemoryStage, error: unknown) => {
    failures++;
    deps.onFailure?.(stage);
    deps.log.warn({ stage, error: error instanceof Error ? error.name : 'unknown' }, 'conversation memory update failed');
  };
  const stillStored = async (ref: TurnRef) => (deps.turnExists ? deps.turnExists(ref) : true);

  async function recordFacts(turn: CompletedTurn): Promise<void> {
    const observed = safeFacts(extractFacts(turn.userText));
    if (observed.length === 0 || !(await stillStored(turn))) return;
    const at = deps.clock();
    await deps.facts.append(
      turn.tenantId,
      turn.sessionId,
      observed.map((fact) => ({ ...fact, sourceMessageId: turn.messageId, at })),
    );
  }

  async function updateSummary(turn: CompletedTurn): Promise<void> {
    const previous = await deps.summaries.get(turn.tenantId, turn.sessionId);
    const signal = AbortSignal.timeout(deps.summaryTimeoutMs ?? 30_000);
    const output = await deps.model.complete(summaryRequest(deps.modelId, previous?.text, turn.userText, turn.replyText, signal));
    const text = summaryFromModel(output);
    if (text === undefined || !(await stillStored(turn))) return;
    await deps.summaries.put(turn.tenantId, turn.sessionId, {
      text,
      updatedAt: deps.clock(),
      sourceMessageId: turn.messageId,
      turns: (previous?.turns ?? 0) + 1,
    });
  }

  async function update(turn: CompletedTurn): Promise<void> {
    await Promise.all([
      recordFacts(turn).catch((error: unknown) => fail('facts', error)),
      updateSummary(turn).catch((error: unknown) => fail('summary', error)),
    ]);
  }

  return {
    /** Call after a completed turn without awaiting it; never rejects. */
    afterTurn(turn: CompletedTurn): Promise<void> {
      const key = sessionKey(turn.tenantId, turn.sessionId);
      const next = (queues.get(key) ?? Promise.resolve()).then(() => update(turn));
      queues.set(key, next);
      void next.then(() => {
        if (queues.get(key) === next) queues.delete(key);
      });
      return next;
    },

    /** The summary and facts for the next turn's model context; empty rather than failing the turn. */
    async contextFor(tenantId: string, sessionId: string): Promise<MemoryContext> {
      try {
        const [summary, facts] = await Promise.all([deps.summaries.get(tenantId, sessionId), deps.facts.list(tenantId, sessionId)]);
        return summary ? { summary: summary.text, facts } : { facts };
      } catch (error) {
        fail('context', error);
        return { facts: [] };
      }
    },

    /** Resolves once this process has no memory work pending for the session (a clear waits for it). */
    async idle(tenantId: string, sessionId: string): Promise<void> {
      await queues.get(sessionKey(tenantId, sessionId));
    },

    failures: () => failures,
  };
}

export type ConversationMemory = ReturnType<typeof createConversationMemory>;
