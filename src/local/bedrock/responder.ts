import { type FaultPlan, parseFaults } from './faults.js';
import { demoReply, longReplyTokens, replyTokens } from './demoText.js';

/**
 * The deterministic demo responder: what the emulator answers for a given last user message,
 * and what a client should therefore receive. Tests compare streamed text with `expectedReply`.
 */
export { demoReply, replyTokens } from './demoText.js';

/** What the emulator will do for one request, derived only from the last user message. */
export interface ReplyPlan {
  faults: FaultPlan;
  /** Every chunk of the reply, before any error-after / hang-after cut. */
  chunks: string[];
  /** How many chunks are sent before the reply ends, fails or falls silent. */
  sentChunks: number;
  /** What follows the sent chunks. */
  ending: 'complete' | 'model-error' | 'hang';
}

/** Throws FaultMarkerError for unknown or malformed markers. */
export function planReply(lastUserText: string): ReplyPlan {
  const faults = parseFaults(lastUserText);
  const chunks =
    faults.long === undefined
      ? replyTokens(demoReply(lastUserText))
      : longReplyTokens(lastUserText, faults.long);
  const errorAt = faults.errorAfter ?? Infinity;
  const hangAt = faults.hangAfter ?? Infinity;
  // A marker always takes effect: past the end of a short reply it fires after the last chunk.
  const ending = errorAt <= hangAt && errorAt !== Infinity ? 'model-error' : hangAt !== Infinity ? 'hang' : 'complete';
  return { faults, chunks, sentChunks: Math.min(chunks.length, errorAt, hangAt), ending };
}

/**
 * The chunks a client receives for this text: nothing for `throttle`, the cut prefix for
 * `error-after` / `hang-after`, everything otherwise (`throttle-once` succeeds on retry).
 */
export function expectedChunks(lastUserText: string): string[] {
  const plan = planReply(lastUserText);
  return plan.faults.throttle ? [] : plan.chunks.slice(0, plan.sentChunks);
}

/** The text a client receives for this text, for any combination of fault markers. */
export function expectedReply(lastUserText: string): string {
  return expectedChunks(lastUserText).join('');
}
