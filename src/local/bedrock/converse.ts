import { randomUUID } from 'node:crypto';
import { sendBedrockError, sendJson, type EmulatorResponse } from './exchange.js';
import { later, type ReplyContext } from './converseStream.js';
import type { Invocation } from './invocations.js';
import type { ReplyPlan } from './responder.js';

/**
 * Answers a non-streaming Converse call after the time the same reply would take to stream,
 * so slow and hang markers mean the same thing for both operations.
 */
export function answerConverse(
  res: EmulatorResponse,
  plan: ReplyPlan,
  invocation: Invocation,
  inputTokens: number,
  context: ReplyContext,
): void {
  const startedAt = Date.now();
  const delayMs = (plan.faults.slowMs ?? context.tokenDelayMs) * plan.sentChunks;
  let cancelPending: (() => void) | undefined;

  const stop = (): void => {
    cancelPending?.();
    cancelPending = undefined;
    context.openReplies.delete(stop);
    if (!res.writableEnded) {
      invocation.outcome = 'aborted';
      res.end();
    }
  };
  context.openReplies.add(stop);
  res.once('close', stop);

  const reply = (): void => {
    cancelPending = undefined;
    if (plan.ending === 'hang') {
      invocation.outcome = 'hanging';
      return;
    }
    if (plan.ending === 'model-error') {
      invocation.outcome = 'model-error';
      sendBedrockError(res, 'ModelErrorException', 'The model failed while generating a response.');
      stop();
      return;
    }
    const outputTokens = plan.sentChunks;
    invocation.outcome = 'completed';
    invocation.chunksSent = outputTokens;
    sendJson(
      res,
      200,
      {
        output: { message: { role: 'assistant', content: [{ text: plan.chunks.join('') }] } },
        stopReason: 'end_turn',
        usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
        metrics: { latencyMs: Date.now() - startedAt },
      },
      { 'x-amzn-RequestId': randomUUID() },
    );
    stop();
  };
  cancelPending = later(reply, delayMs);
}
