import { randomUUID } from 'node:crypto';
import type { EmulatorResponse } from './exchange.js';
import { EVENT_STREAM_CONTENT_TYPE, encodeEvent, encodeException } from './framing.js';
import type { Invocation } from './invocations.js';
import type { ReplyPlan } from './responder.js';

export interface ReplyContext {
  tokenDelayMs: number;
  /** Stoppers of every reply still open; the server ends them all on close. */
  openReplies: Set<() => void>;
}

/**
 * Writes one ConverseStream reply as event-stream frames, a chunk per tick. Stops producing as
 * soon as the client goes away, so an abandoned stream leaves no timer behind.
 */
export function streamReply(
  res: EmulatorResponse,
  plan: ReplyPlan,
  invocation: Invocation,
  inputTokens: number,
  context: ReplyContext,
): void {
  const startedAt = Date.now();
  const delayMs = plan.faults.slowMs ?? context.tokenDelayMs;
  let sent = 0;
  let cancelPending: (() => void) | undefined;

  const stop = (): void => {
    cancelPending?.();
    cancelPending = undefined;
    context.openReplies.delete(stop);
    if (!res.writableEnded) {
      if (invocation.outcome === 'running' || invocation.outcome === 'hanging') invocation.outcome = 'aborted';
      res.end();
    }
  };
  context.openReplies.add(stop);
  res.once('close', stop);

  const finish = (outcome: Invocation['outcome'], last: Uint8Array): void => {
    invocation.outcome = outcome;
    res.end(last);
    stop();
  };

  const step = (): void => {
    cancelPending = undefined;
    if (res.writableEnded) return;
    if (sent < plan.sentChunks) {
      const text = plan.chunks[sent] ?? '';
      sent += 1;
      invocation.chunksSent = sent;
      const flushed = res.write(encodeEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text } }));
      if (flushed) schedule();
      else res.once('drain', schedule);
      return;
    }
    switch (plan.ending) {
      case 'model-error':
        finish('model-error', encodeException('modelStreamErrorException', 'The model failed while generating a response.'));
        return;
      case 'hang':
        // Deliberately silent: the connection stays open until the client or the server ends it.
        invocation.outcome = 'hanging';
        return;
      case 'complete':
        res.write(encodeEvent('contentBlockStop', { contentBlockIndex: 0 }));
        res.write(encodeEvent('messageStop', { stopReason: 'end_turn' }));
        finish(
          'completed',
          encodeEvent('metadata', {
            usage: { inputTokens, outputTokens: sent, totalTokens: inputTokens + sent },
            metrics: { latencyMs: Date.now() - startedAt },
          }),
        );
    }
  };

  const schedule = (): void => {
    if (res.writableEnded) return;
    cancelPending = later(step, delayMs);
  };

  res.writeHead(200, { 'content-type': EVENT_STREAM_CONTENT_TYPE, 'x-amzn-RequestId': randomUUID() });
  res.write(encodeEvent('messageStart', { role: 'assistant' }));
  schedule();
}

/** A cancellable delay; zero still yields to the event loop so long replies do not block it. */
export function later(run: () => void, delayMs: number): () => void {
  if (delayMs <= 0) {
    const immediate = setImmediate(run);
    return () => clearImmediate(immediate);
  }
  const timer = setTimeout(run, delayMs);
  return () => clearTimeout(timer);
}
