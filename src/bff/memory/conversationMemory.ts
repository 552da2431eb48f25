import type { Logger } from 'pino';
import type { ChatModel } from '../model/chatModel.js';
import type { FactStore } from '../store/factStore.js';
import type { StoredSummary, SummaryStore } from '../store/summaryStore.js';
import { SerialQueues } from '../serialQueues.js';
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
  /** The summary the turn's context was built from (MemoryContext.basis), when it was read. */
  basis?: SummaryBasis | undefined;
}

/** A session's summary as read at one moment. */
export interface SummaryBasis {
  /** Undefined when the session had none. */
  stored: StoredSummary | undefined;
  /** Epoch ms, just before the read. */
  readAt: number;
}

export interface MemoryContext {
  summary?: string;
  facts: Fact[];
  /** The summary as read for this context; absent when it could not be read. */
  basis?: SummaryBasis;
}

/**
 * Attempts to store one turn's summary. Each further attempt follows a summary that another
 * process stored meanwhile, and makes the update again from it.
 */
const SUMMARY_ATTEMPTS = 3;
/** How long this process remembers when it last stored a session's summary (see previousSummary). */
const STORED_AT_KEPT_MS = 10 * 60_000;

/**
 * What a session remembers beyond its recent messages: a running summary made by the model and
 * a ledger of facts found by patterns, both redacted before they are stored. Work runs after a
 * turn, off the streaming path, one turn at a time per session.
 */
export function createConversationMemory(deps: ConversationMemoryDeps) {
  const queues = new SerialQueues();
  /** When this process last stored each session's summary, by session key; forgotten after a while. */
  const storedAt = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  let failures = 0;
  const fail = (stage: MemoryStage, error: unknown) => {
    failures++;
    deps.onFailure?.(stage);
    deps.log.warn({ stage, error: error instanceof Error ? error.name : 'unknown' }, 'conversation memory update failed');
  };
  const stillStored = async (ref: TurnRef) => (deps.turnExists ? deps.turnExists(ref) : true);

  function noteStored(key: string): void {
    clearTimeout(storedAt.get(key)?.timer);
    const timer = setTimeout(() => storedAt.delete(key), STORED_AT_KEPT_MS);
    timer.unref();
    storedAt.set(key, { at: deps.clock(), timer });
  }

  /**
   * The summary to update: the one the turn's context was read with, unless this process stored
   * a newer one since that read (its previous turn's update, finished while this turn ran). Another
   * process's newer one shows as a refused write, and the update is then made again.
   */
  async function previousSummary(turn: CompletedTurn): Promise<StoredSummary | undefined> {
    const lastStored = storedAt.get(sessionKey(turn.tenantId, turn.sessionId))?.at;
    if (turn.basis && (lastStored === undefined || lastStored < turn.basis.readAt)) return turn.basis.stored;
    return deps.summaries.get(turn.tenantId, turn.sessionId);
  }

  async function summarise(turn: CompletedTurn, previous: StoredSummary | undefined): Promise<string | undefined> {
    const signal = AbortSignal.timeout(deps.summaryTimeoutMs ?? 30_000);
    return summaryFromModel(await deps.model.complete(summaryRequest(deps.modelId, previous?.text, turn.userText, turn.replyText, signal)));
  }

  /** Stores the summary made from `previous`, making it again from any newer one found instead. */
  async function storeSummary(turn: CompletedTurn, previous: StoredSummary | undefined, text: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const next = { text, updatedAt: deps.clock(), sourceMessageId: turn.messageId, turns: (previous?.turns ?? 0) + 1 };
      const written = await deps.summaries.put(turn.tenantId, turn.sessionId, next, previous);
      if (!written) previous = await deps.summaries.get(turn.tenantId, turn.sessionId);
      // The SDK may have retried a write that had in fact landed: the stored summary is this one then.
      if (written || (previous?.updatedAt === next.updatedAt && previous.sourceMessageId === next.sourceMessageId)) {
        noteStored(sessionKey(turn.tenantId, turn.sessionId));
        return;
      }
      if (attempt === SUMMARY_ATTEMPTS) throw new Error('the summary kept changing while it was updated');
      const again = await summarise(turn, previous);
      if (again === undefined || !(await stillStored(turn))) return;
      text = again;
    }
  }

  async function update(turn: CompletedTurn): Promise<void> {
    const observed = safeFacts(extractFacts(turn.userText));
    let summary: { previous: StoredSummary | undefined; text: string } | undefined;
    try {
      const previous = await previousSummary(turn);
      const text = await summarise(turn, previous);
      if (text !== undefined) summary = { previous, text };
    } catch (error) {
      fail('summary', error);
    }
    if (observed.length === 0 && summary === undefined) return;
    // One check for both writes, right before them: a session cleared while the summary was made
    // gets neither back.
    let turnStored: boolean;
    try {
      turnStored = await stillStored(turn);
    } catch (error) {
      if (observed.length > 0) fail('facts', error);
      if (summary !== undefined) fail('summary', error);
      return;
    }
    if (!turnStored) return;
    const at = deps.clock();
    await Promise.all([
      observed.length > 0 &&
        deps.facts
          .append(
            turn.tenantId,
            turn.sessionId,
            observed.map((fact) => ({ ...fact, sourceMessageId: turn.messageId, at })),
          )
          .catch((error: unknown) => fail('facts', error)),
      summary !== undefined && storeSummary(turn, summary.previous, summary.text).catch((error: unknown) => fail('summary', error)),
    ]);
  }

  return {
    /** Call after a completed turn without awaiting it; never rejects. */
    afterTurn(turn: CompletedTurn): Promise<void> {
      return queues.run(sessionKey(turn.tenantId, turn.sessionId), () => update(turn));
    },

    /** The summary and facts for the next turn's model context; empty rather than failing the turn. */
    async contextFor(tenantId: string, sessionId: string): Promise<MemoryContext> {
      const readAt = deps.clock();
      try {
        const [summary, facts] = await Promise.all([deps.summaries.get(tenantId, sessionId), deps.facts.list(tenantId, sessionId)]);
        const basis = { stored: summary, readAt };
        return summary ? { summary: summary.text, facts, basis } : { facts, basis };
      } catch (error) {
        fail('context', error);
        return { facts: [] };
      }
    },

    /** Resolves once this process has no memory work pending for the session (a clear waits for it). */
    idle(tenantId: string, sessionId: string): Promise<void> {
      return queues.idle(sessionKey(tenantId, sessionId));
    },

    /** Resolves once this process has no memory work pending for any session (a shutdown waits for it). */
    settled(): Promise<void> {
      return queues.settled();
    },

    failures: () => failures,
  };
}

export type ConversationMemory = ReturnType<typeof createConversationMemory>;
