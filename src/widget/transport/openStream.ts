import { fetchEventSource } from '@microsoft/fetch-event-source';
import { fromCallback } from 'xstate';
import type { ConnectionEvent, OpenStreamInput } from '../../machines/connectionTypes.js';
import { withByteActivity } from './activityFetch.js';
import { classifyFailure } from './classifyFailure.js';
import type { HttpDeps } from './http.js';
import { HttpError, httpErrorFrom } from './httpError.js';
import { parseStreamMessage } from './streamEvent.js';

export interface StreamDeps extends HttpDeps {
  /** Read at the start of every attempt, so a refreshed token is used on the next one. */
  streamToken: () => string | null;
}

async function assertEventStream(response: Response, nowMs: number): Promise<void> {
  if (!response.ok) throw await httpErrorFrom(response, nowMs);
  const type = response.headers.get('content-type') ?? '';
  // A 200 that is not SSE is a captive portal or a misrouted proxy, not the BFF.
  if (!type.startsWith('text/event-stream')) throw new HttpError(response.status, 'unexpected_content_type');
}

/** Headers of one attempt; Last-Event-ID turns the same POST into a resume. */
export function streamHeaders(token: string | null, lastEventId: string | null): Record<string, string> {
  const headers: Record<string, string> = { accept: 'text/event-stream', 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (lastEventId !== null) headers['last-event-id'] = lastEventId;
  return headers;
}

/**
 * The `openStream` actor of the connection machine: one `POST /v1/chat` attempt.
 * Every callback is tagged with the attempt id, and nothing is reported once the
 * machine has stopped the actor. Retries belong to the machine, so `onerror` throws.
 */
export function createOpenStream(deps: StreamDeps) {
  return fromCallback<ConnectionEvent, OpenStreamInput>(({ input, sendBack }) => {
    const { attemptId, turn } = input;
    const controller = new AbortController();
    const report = (event: ConnectionEvent) => {
      if (!controller.signal.aborted) sendBack(event);
    };
    fetchEventSource(`${deps.apiBase}/v1/chat`, {
      method: 'POST',
      headers: streamHeaders(deps.streamToken(), input.lastEventId),
      body: JSON.stringify({ messageId: turn.messageId, text: turn.text }),
      signal: controller.signal,
      // Hidden pages keep their stream: the machine decides what happens in the background.
      openWhenHidden: true,
      fetch: withByteActivity(deps.fetch, () => report({ type: 'STREAM.ACTIVITY', attemptId })),
      onopen: async (response) => {
        await assertEventStream(response, deps.now());
        report({ type: 'STREAM.OPEN', attemptId });
      },
      onmessage: (message) => {
        const event = parseStreamMessage(message);
        if (event !== null && event !== 'heartbeat') report({ type: 'STREAM.EVENT', attemptId, event });
      },
      onclose: () => {
        report({ type: 'STREAM.FAILURE', attemptId, failure: { kind: 'retryable', code: 'stream_closed' } });
      },
      onerror: (error: unknown) => {
        throw error;
      },
    }).catch((error: unknown) => {
      report({ type: 'STREAM.FAILURE', attemptId, failure: classifyFailure(error) });
    });
    return () => controller.abort();
  });
}
