import { Router, type RequestHandler } from 'express';
import type { MessageStore } from '../store/messageStore.js';
import { principalOf } from '../auth/principal.js';

export interface StateRouteDeps {
  messages: MessageStore;
  requireManage: RequestHandler;
}

/** GET /v1/state: what is stored for the caller's session. */
export function stateRoutes(deps: StateRouteDeps): Router {
  const router = Router();

  router.get('/v1/state', deps.requireManage, async (_req, res) => {
    const principal = principalOf(res);
    const messages = await deps.messages.list(principal.tenantId, principal.sessionId);
    res.json({
      sessionId: principal.sessionId,
      messages: messages.map((m) => ({
        role: m.role,
        text: m.text,
        at: new Date(m.at).toISOString(),
        messageId: m.messageId,
        ...(m.status ? { status: m.status } : {}),
      })),
      summary: null,
      facts: [],
    });
  });

  return router;
}
