import { Router, type RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { ChatService } from '../chat/chatService.js';
import type { TenantDirectory } from '../config/tenantDirectory.js';
import type { Metrics } from '../observability/metrics.js';
import { chatBody, lastEventId, stopBody } from '../http/schemas.js';
import { writeSse } from '../http/sse.js';
import { parseBody } from '../http/validate.js';
import { principalOf } from '../auth/principal.js';

export interface ChatRouteDeps {
  chat: ChatService;
  tenants: TenantDirectory;
  metrics: Metrics;
  requireStream: RequestHandler[];
  limitChat: RequestHandler[];
  heartbeatMs: number;
}

function resumePoint(header: string | undefined): number {
  if (header === undefined || header === '') return 0;
  const parsed = lastEventId.safeParse(header);
  if (!parsed.success) throw new AppError('validation_failed', 'Last-Event-ID must be an event id from this stream');
  return parsed.data;
}

/** POST /v1/chat streams (or resumes) one reply as SSE; /stop ends its generation. */
export function chatRoutes(deps: ChatRouteDeps): Router {
  const router = Router();

  router.post('/v1/chat', ...deps.requireStream, ...deps.limitChat, async (req, res) => {
    const principal = principalOf(res);
    const body = parseBody(req, chatBody);
    const afterSeq = resumePoint(req.get('last-event-id'));
    const tenant = deps.tenants.get(principal.tenantId);
    if (!tenant) throw new AppError('tenant_not_found', 'Unknown or disabled tenant');
    const disconnect = new AbortController();
    const feed = await deps.chat.open(
      { tenant, sessionId: principal.sessionId, messageId: body.messageId, text: body.text, afterSeq },
      disconnect.signal,
    );
    deps.metrics.activeStreams.inc();
    await writeSse(res, feed, {
      heartbeatMs: deps.heartbeatMs,
      onClose: () => disconnect.abort(),
    }).finally(() => deps.metrics.activeStreams.dec());
  });

  router.post('/v1/chat/stop', ...deps.requireStream, async (req, res) => {
    const principal = principalOf(res);
    const body = parseBody(req, stopBody);
    const outcome = await deps.chat.stop(principal.tenantId, principal.sessionId, body.messageId);
    res.json({ messageId: body.messageId, outcome });
  });

  return router;
}
