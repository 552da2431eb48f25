import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import type { Tenant } from '../config/tenant.js';
import type { ChatModel } from '../model/chatModel.js';
import type { Metrics } from '../observability/metrics.js';
import type { MessageStore } from '../store/messageStore.js';
import type { TurnLog, TurnRef } from '../store/turnLog.js';
import { turnKey } from '../store/tables.js';
import type { ConversationMemory } from '../memory/conversationMemory.js';
import { memoryPrompt, withMemory } from '../memory/memoryPrompt.js';
import { generateTurn } from './generateTurn.js';
import { LiveTurn, LiveTurns } from './liveTurn.js';
import { buildModelMessages } from './modelContext.js';
import { liveFeed, storedFeed } from './turnFeed.js';
import { stopKey, type StopKey } from '../store/ownerLeases.js';
import { timeFirstEvent } from '../observability/timeFirstEvent.js';
import type { TurnEvent } from './turnEvent.js';

export interface ChatServiceDeps {
  model: ChatModel;
  /** Summary and facts of earlier turns; updated after each completed turn. */
  memory?: ConversationMemory;
  turnLog: TurnLog;
  messages: MessageStore;
  metrics: Metrics;
  log: Logger;
  clock: () => number;
  /** Identifies this process as the owner of the generations it runs. */
  owner: string;
  defaultModelId: string;
  leaseMs?: number;
  pollMs?: number;
  historyLimit?: number;
}

export interface ChatRequest {
  tenant: Tenant;
  sessionId: string;
  messageId: string;
  text: string;
  /** The last event id the client applied; 0 for a fresh request. */
  afterSeq: number;
}

const hashText = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Turns: each client message id is generated once, by whichever process claims it first; every
 * request for it (first or resumed, on any process) gets a feed of its events after `afterSeq`.
 */
export function createChatService(deps: ChatServiceDeps) {
  const live = new LiveTurns();
  /** Whole generations, storage writes after the last event included, for a clean shutdown. */
  const generations = new Set<Promise<void>>();
  const leaseMs = deps.leaseMs ?? 10_000;
  const pollMs = deps.pollMs ?? 250;
  /** Stop requests dealt with, by tenant: the next renewal drops them from the owner's record. */
  const handledStops = new Map<string, StopKey[]>();
  /** Stop requests seen for no turn of this process: dropped if still so at the next renewal. */
  const unknownStops = new Set<string>();
  /** Turns between their claim and the storing of the user's message: stoppable, not yet resumable. */
  const starting = new Map<string, LiveTurn>();
  /** Turns this process ended but could not close in storage, by key, with how to close them. */
  const unfinished = new Map<string, () => Promise<void>>();
  let renewing: Promise<void> | undefined;

  async function renewLeases(): Promise<void> {
    const until = deps.clock() + leaseMs;
    await Promise.all(
      [...live.runningTenants()].map(async (tenantId) => {
        try {
          const stops = await deps.turnLog.owners.renew(tenantId, deps.owner, until, handledStops.get(tenantId) ?? []);
          const handled: StopKey[] = [];
          for (const stop of stops) {
            const key = `${tenantId}#${stop}`;
            const turn = live.get(key) ?? starting.get(key);
            turn?.stop();
            // A request may reach the record just before its turn is listed here: kept one round.
            if (turn || unknownStops.delete(key)) handled.push(stop);
            else unknownStops.add(key);
          }
          handledStops.set(tenantId, handled);
        } catch {
          deps.metrics.storageErrors.inc({ operation: 'owner.renew' });
        }
      }),
    );
    for (const [key, close] of unfinished) {
      try {
        await close();
        unfinished.delete(key);
      } catch {
        // Storage is still away: the next round tries again.
      }
    }
  }
  // One renewal per tenant every third of a lease, however many replies stream.
  const leaseTimer = setInterval(() => {
    renewing ??= renewLeases().finally(() => (renewing = undefined));
  }, leaseMs / 3);
  leaseTimer.unref();

  async function start(ref: TurnRef, request: ChatRequest, acceptedAt: number): Promise<LiveTurn | undefined> {
    const startedAt = deps.clock();
    const textHash = hashText(request.text);
    const [claimed, history, memory] = await Promise.allSettled([
      deps.turnLog.claim(ref, { textHash, owner: deps.owner, leaseUntil: startedAt + leaseMs, startedAt }),
      deps.messages.list(ref.tenantId, ref.sessionId, deps.historyLimit ?? 20),
      deps.memory?.contextFor(ref.tenantId, ref.sessionId),
    ]);
    if (claimed.status === 'rejected') throw claimed.reason;
    const claim = claimed.value;
    if (claim !== 'claimed') {
      if (claim.textHash !== textHash) throw new AppError('message_conflict', 'This messageId was already used for another text');
      return undefined;
    }
    if (history.status === 'rejected' || memory.status === 'rejected') {
      await deps.turnLog.release(ref).catch(() => undefined);
      throw history.status === 'rejected' ? history.reason : (memory as PromiseRejectedResult).reason;
    }
    // The model starts while the user's message is written: its first token is not held up by that
    // write. Nothing of the turn is stored or shown unless the write succeeds (see generateTurn).
    const userMessageStored = deps.messages.put(ref.tenantId, ref.sessionId, startedAt, {
      messageId: ref.messageId,
      role: 'user',
      text: request.text,
      at: startedAt,
    });
    const turn = new LiveTurn(startedAt, textHash);
    const key = turnKey(ref.tenantId, ref.sessionId, ref.messageId);
    starting.set(key, turn);
    const generation = generateTurn(
      { ...deps, onUnfinished: (unclosed, close) => unfinished.set(turnKey(unclosed.tenantId, unclosed.sessionId, unclosed.messageId), close) },
      ref,
      turn,
      {
        modelId: request.tenant.modelId ?? deps.defaultModelId,
        system: memory.value ? withMemory(request.tenant.systemPrompt, memoryPrompt(memory.value.summary, memory.value.facts)) : request.tenant.systemPrompt,
        messages: buildModelMessages(history.value, request.text),
      },
      { acceptedAt, userText: request.text, userMessageStored, summaryBasis: memory.value?.basis },
    ).finally(() => {
      live.retire(key);
      generations.delete(generation);
    });
    generations.add(generation);
    try {
      await userMessageStored;
    } catch (error) {
      // Fail closed: without the user's message stored there is no turn.
      starting.delete(key);
      await generation;
      await deps.turnLog.release(ref).catch(() => undefined);
      throw error;
    }
    starting.delete(key);
    live.add(key, turn);
    return turn;
  }

  return {
    /** Validates and, if new, starts the turn; resolves to the feed once the turn is durable. */
    async open(request: ChatRequest, signal: AbortSignal): Promise<AsyncGenerator<TurnEvent>> {
      const acceptedAt = deps.clock();
      const ref: TurnRef = { tenantId: request.tenant.id, sessionId: request.sessionId, messageId: request.messageId };
      // A resume (or a repeat of a known message) is timed until its stream moves again.
      const resumed = (source: 'memory' | 'storage', feed: AsyncGenerator<TurnEvent>) => {
        deps.metrics.resumes.inc({ source });
        return timeFirstEvent(feed, acceptedAt, deps.clock, (seconds) => deps.metrics.resumeLag.observe({ source }, seconds));
      };
      const local = live.get(turnKey(ref.tenantId, ref.sessionId, ref.messageId));
      if (local) {
        if (local.textHash !== hashText(request.text)) throw new AppError('message_conflict', 'This messageId was already used for another text');
        return resumed('memory', liveFeed(local, request.afterSeq, signal));
      }
      const started = await start(ref, request, acceptedAt);
      if (started) return liveFeed(started, request.afterSeq, signal);
      return resumed('storage', storedFeed({ ...deps, pollMs }, ref, request.afterSeq, signal));
    },

    async stop(tenantId: string, sessionId: string, messageId: string): Promise<'stopping' | 'finished'> {
      const ref: TurnRef = { tenantId, sessionId, messageId };
      const local = live.get(turnKey(tenantId, sessionId, messageId));
      if (local) {
        if (local.ended) return 'finished';
        local.stop();
        return 'stopping';
      }
      const header = await deps.turnLog.header(ref);
      if (!header) throw new AppError('not_found', 'No such message in this session');
      if (header.status !== 'generating') return 'finished';
      await deps.turnLog.requestStop(ref);
      await deps.turnLog.owners.requestStop(tenantId, header.owner, stopKey(sessionId, messageId));
      return 'stopping';
    },

    running: () => live.running(),
    /** Stops renewing this process's leases: its turns then count as dead once they lapse. */
    close: () => clearInterval(leaseTimer),
    /** Resolves true once every generation has finished and stored, false after `timeoutMs`. */
    drained: async (timeoutMs: number): Promise<boolean> => {
      const deadline = Date.now() + timeoutMs;
      while (generations.size > 0) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) return false;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.allSettled([...generations]), new Promise((resolve) => (timer = setTimeout(resolve, remaining)))]);
        clearTimeout(timer);
      }
      return true;
    },
  };
}

export type ChatService = ReturnType<typeof createChatService>;
