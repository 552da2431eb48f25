import type { Logger } from 'pino';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { AuditEvent } from '../audit/auditEntry.js';
import { countKeys, type SessionPurge } from './sessionPurge.js';

export interface ClearSessionDeps {
  purge: SessionPurge;
  audit: AuditTrail;
  log: Logger;
  /** Ends a running generation (the chat service's stop), so its last writes land before the deletes. */
  stopTurn?: (tenantId: string, sessionId: string, messageId: string) => Promise<unknown>;
  /** Resolves when this process has no summary or fact work pending for the session. */
  memoryIdle?: (tenantId: string, sessionId: string) => Promise<void>;
  /** How long to wait for stopped generations to end before deleting anyway. */
  turnWaitMs?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ClearRequest {
  tenantId: string;
  sessionId: string;
  tokenId: string;
  ip?: string;
  origin?: string;
}

export interface ClearResult {
  cleared: { messages: number; summaries: number; facts: number };
  turnEvents: number;
  /** The entry written before anything was deleted. */
  auditId: string;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Clears a session, audited first: the intent is written before anything is deleted, so a clear
 * whose entry cannot be written never happens. The outcome follows as a second entry linked to
 * the first; if the deletes fail that entry records the failure and the caller gets 503.
 */
export function createClearSession(deps: ClearSessionDeps) {
  const sleep = deps.sleep ?? delay;

  async function settle(request: ClearRequest, generating: readonly string[]): Promise<number> {
    const { tenantId, sessionId } = request;
    await Promise.all(generating.map((messageId) => deps.stopTurn?.(tenantId, sessionId, messageId).catch(() => undefined)));
    let running = [...generating];
    for (let waited = 0; running.length > 0 && waited < (deps.turnWaitMs ?? 5000); waited += deps.pollMs ?? 25) {
      await sleep(deps.pollMs ?? 25);
      const still = await Promise.all(running.map((messageId) => deps.purge.isGenerating(tenantId, sessionId, messageId)));
      running = running.filter((_, index) => still[index]);
    }
    return running.length;
  }

  return async function clearSession(request: ClearRequest): Promise<ClearResult> {
    const { tenantId, sessionId } = request;
    const who: Omit<AuditEvent, 'outcome'> = {
      action: 'state.clear',
      tenantId,
      sessionId,
      tokenId: request.tokenId,
      ...(request.ip === undefined ? {} : { ip: request.ip }),
      ...(request.origin === undefined ? {} : { origin: request.origin }),
    };
    // Finding what to delete only reads, so it runs while the intent is written; nothing is
    // deleted unless that entry was written.
    const found = (async () => {
      await deps.memoryIdle?.(tenantId, sessionId);
      return deps.purge.footprint(tenantId, sessionId);
    })();
    found.catch(() => undefined);
    const intent = await deps.audit.record({ ...who, outcome: 'pending' });
    try {
      const first = await found;
      let keys = first.keys;
      let stillGenerating = 0;
      if (first.generating.length > 0) {
        // A running turn writes again when stopped (its partial reply, its last events): once
        // those writes have landed, everything is looked up again so that they go too.
        stillGenerating = await settle(request, first.generating);
        await deps.memoryIdle?.(tenantId, sessionId);
        ({ keys } = await deps.purge.footprint(tenantId, sessionId));
      }
      await deps.purge.remove(keys);
      const counts = countKeys(keys);
      await deps.audit
        .record({
          ...who,
          outcome: 'success',
          detail: { counts: { ...counts, ...(stillGenerating > 0 ? { stillGenerating } : {}) }, relatedAuditId: intent.auditId },
        })
        .catch((error: unknown) => deps.log.error({ error: error instanceof Error ? error.name : 'unknown' }, 'clear outcome not audited'));
      const { messages, summaries, facts } = counts;
      return { cleared: { messages, summaries, facts }, turnEvents: counts.turnEvents, auditId: intent.auditId };
    } catch (error) {
      await deps.audit
        .record({ ...who, outcome: 'failure', detail: { reason: 'storage_unavailable', relatedAuditId: intent.auditId } })
        .catch(() => deps.log.error('clear failure not audited'));
      throw error;
    }
  };
}

export type ClearSession = ReturnType<typeof createClearSession>;
