import type { Logger } from 'pino';
import type { ConversationMemory, SummaryBasis } from '../memory/conversationMemory.js';
import type { ChatModel, ModelRequest } from '../model/chatModel.js';
import { isAppError } from '../errors.js';
import { toModelFailure } from '../model/bedrockModel.js';
import type { Metrics } from '../observability/metrics.js';
import type { MessageStore } from '../store/messageStore.js';
import type { TurnLog, TurnRef } from '../store/turnLog.js';
import { EventWriter } from './eventWriter.js';
import type { LiveTurn } from './liveTurn.js';
import { statusOf, type TurnEvent, type TurnEventBody } from './turnEvent.js';

export interface GenerateDeps {
  model: ChatModel;
  turnLog: TurnLog;
  messages: MessageStore;
  metrics: Metrics;
  log: Logger;
  clock: () => number;
  memory?: ConversationMemory | undefined;
  /** Receives a turn that could not be closed in storage, and how to close it once storage is back. */
  onUnfinished: (ref: TurnRef, close: () => Promise<void>) => void;
  /** Least time between two event writes of one reply. */
  eventWriteIntervalMs?: number | undefined;
}

/** What a generation needs of its request besides the model request. */
export interface TurnInputs {
  acceptedAt: number;
  userText: string;
  /** Settles once the user's message is stored, or could not be. */
  userMessageStored: Promise<void>;
  /** The summary the turn's context was built from, for the memory update after the turn. */
  summaryBasis?: SummaryBasis | undefined;
}

// A reply's events are written at most this long after they were sent (plus the 50 ms a write
// may wait to share its request, see TurnLog): a quarter second, the pace at which a resume on
// another process polls the log anyway. Each write is an item that storage writes and a finished
// turn later deletes, so a 4 s reply makes 16 of them, not 40 as at 100 ms.
const EVENT_WRITE_INTERVAL_MS = 250;

const FAILURE_CODES = {
  throttled: 'model_throttled',
  model_error: 'model_error',
  unavailable: 'model_unavailable',
  validation: 'model_error',
} as const;

/**
 * Runs one generation to its end whether or not a client is listening: streams model text into
 * the live turn, persists every event, then stores the assistant message and closes the turn.
 */
export async function generateTurn(
  deps: GenerateDeps,
  ref: TurnRef,
  turn: LiveTurn,
  request: ModelRequest,
  { acceptedAt, userText, userMessageStored, summaryBasis }: TurnInputs,
): Promise<void> {
  const { metrics, log } = deps;
  // Until the user's message is stored the turn exists only here: events wait for it, and if it
  // fails the model is stopped and nothing of the turn is written.
  let discarded = false;
  userMessageStored.catch(() => {
    discarded = true;
    turn.abort.abort();
  });
  const writer = new EventWriter(
    async (events) => {
      await userMessageStored;
      await deps.turnLog.append(ref, events);
    },
    () => {
      if (!discarded) metrics.storageErrors.inc({ operation: 'turn.append' });
      turn.abort.abort();
    },
    { minIntervalMs: deps.eventWriteIntervalMs ?? EVENT_WRITE_INTERVAL_MS },
  );
  const emit = (body: TurnEventBody) => writer.enqueue(turn.push(body));

  const endTimer = metrics.streamDuration.startTimer();
  metrics.activeGenerations.inc();
  let terminal: TurnEventBody;
  try {
    let stopReason = 'end_turn';
    let first = true;
    for await (const event of deps.model.stream({ ...request, signal: turn.abort.signal })) {
      if (event.type === 'stop') {
        stopReason = event.reason;
        continue;
      }
      if (first) {
        metrics.timeToFirstToken.observe((deps.clock() - acceptedAt) / 1000);
        first = false;
      }
      emit({ type: 'delta', data: { text: event.text } });
    }
    terminal = writer.failed
      ? { type: 'error', data: { code: 'storage_unavailable', message: 'The reply could not be stored', retryable: true } }
      : { type: 'done', data: { messageId: ref.messageId, stopReason: turn.stopRequested ? 'stopped' : stopReason } };
  } catch (error) {
    const failure = toModelFailure(error);
    if (!discarded) {
      metrics.modelErrors.inc({ kind: failure.kind });
      log.warn({ kind: failure.kind, messageId: ref.messageId }, 'model failure');
    }
    terminal = { type: 'error', data: { code: FAILURE_CODES[failure.kind], message: failure.message, retryable: failure.retryable } };
  } finally {
    metrics.activeGenerations.dec();
    endTimer();
  }

  if (!(await userMessageStored.then(() => true, () => false))) return;
  const storeReply = (status: ReturnType<typeof statusOf>, ending?: TurnEvent[]) =>
    deps.messages.put(
      ref.tenantId,
      ref.sessionId,
      turn.startedAt,
      { messageId: ref.messageId, role: 'assistant', text: turn.text, at: deps.clock(), status },
      ending,
    );
  /** Events up to this seq are in the turn log, once the writer has closed without failing. */
  let logged: number | undefined;
  try {
    // The reply's last events, and the terminal one, are stored by the finish's compact log. They
    // go with the reply too: should this process die before the finish, whoever takes the turn
    // over ends its log with them instead of cutting the stored reply short.
    const unwritten = await writer.close();
    logged = turn.events.length - unwritten.length;
    const status = statusOf(terminal);
    await storeReply(status, [...unwritten, turn.next(terminal)]);
    turn.push(terminal);
    await deps.turnLog.finish(ref, status, turn.events);
    // Off the streaming path: the client already has its `done`.
    if (status === 'complete') void deps.memory?.afterTurn({ ...ref, userText, replyText: turn.text, basis: summaryBasis });
  } catch (error) {
    // Storage went away at the end. While this process lives its turns count as running, so it
    // closes this one itself once storage is back, as its clients saw it end.
    if (!turn.ended) turn.push({ type: 'error', data: { code: 'storage_unavailable', message: 'The reply could not be stored', retryable: true } });
    // The cause names the storage operation and the storage error; as for a refused request, never the text.
    log.error({ messageId: ref.messageId, err: isAppError(error) ? (error.cause ?? error) : error }, 'turn could not be finalised in storage');
    const shown = statusOf(turn.events.at(-1)!);
    // After a failed event write the log may have a gap: the reply then goes without an ending.
    const ending = logged === undefined ? undefined : turn.events.slice(logged);
    deps.onUnfinished(ref, async () => {
      await storeReply(shown, ending);
      await deps.turnLog.finish(ref, shown, turn.events);
    });
  }
}
