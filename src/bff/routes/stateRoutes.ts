import { Router, type RequestHandler } from 'express';
import { principalOf } from '../auth/principal.js';
import { auditOrigin } from '../audit/requestContext.js';
import type { ClearSession } from '../store/clearSession.js';
import type { FactStore } from '../store/factStore.js';
import type { MessageStore } from '../store/messageStore.js';
import type { SummaryStore } from '../store/summaryStore.js';

export interface StateRouteDeps {
  messages: MessageStore;
  summaries: SummaryStore;
  facts: FactStore;
  clearSession: ClearSession;
  requireManage: RequestHandler[];
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** GET /v1/state: what is stored for the caller's session. POST /v1/state/clear: remove all of it. */
export function stateRoutes(deps: StateRouteDeps): Router {
  const router = Router();

  router.get('/v1/state', ...deps.requireManage, async (_req, res) => {
    const { tenantId, sessionId } = principalOf(res);
    const [messages, summary, facts] = await Promise.all([
      deps.messages.list(tenantId, sessionId),
      deps.summaries.get(tenantId, sessionId),
      deps.facts.list(tenantId, sessionId),
    ]);
    res.set('Cache-Control', 'no-store');
    res.json({
      sessionId,
      messages: messages.map((m) => ({
        role: m.role,
        text: m.text,
        at: iso(m.at),
        messageId: m.messageId,
        ...(m.status ? { status: m.status } : {}),
      })),
      summary: summary?.text ?? null,
      facts: facts.map((f) => ({ kind: f.kind, value: f.value, sourceMessageId: f.sourceMessageId, at: iso(f.at) })),
    });
  });

  router.post('/v1/state/clear', ...deps.requireManage, async (req, res) => {
    const principal = principalOf(res);
    const result = await deps.clearSession({
      tenantId: principal.tenantId,
      sessionId: principal.sessionId,
      tokenId: principal.tokenId,
      ...auditOrigin(req),
    });
    res.set('Cache-Control', 'no-store');
    res.json({ cleared: result.cleared, auditId: result.auditId });
  });

  return router;
}
