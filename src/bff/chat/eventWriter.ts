import type { TurnEvent } from './turnEvent.js';

export interface EventWriterOptions {
  /**
   * Least time between the starts of two writes: events arriving meanwhile are stored together.
   * Sending never waits for it; it bounds how much a reply may lose if its process dies.
   */
  minIntervalMs?: number;
  clock?: () => number;
  sleep?: (ms: number, wake: AbortSignal) => Promise<void>;
}

// The wake signal lives as long as the reply, so each sleep takes its listener away again: a
// long reply sleeps dozens of times and must not pile listeners up on it.
const sleepUnlessWoken = (ms: number, wake: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      wake.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    wake.addEventListener('abort', done);
  });

/**
 * Persists a turn's events in order while the stream goes on: events are sent at once and
 * written in runs, one write in flight at a time and at most one per interval, so a fast model
 * never waits for storage and storage sees a few writes per reply, not one per token. The
 * events still waiting when the reply ends are not written here: the turn's finish stores its
 * whole log at once (TurnLog.finish), and writing them first would cost a request per reply.
 */
export class EventWriter {
  private queue: TurnEvent[] = [];
  private inFlight: Promise<void> | undefined;
  private failure: unknown;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private closed = false;
  /** Aborted by close(): a write waiting out the interval gives up at once. */
  private readonly wake = new AbortController();
  private readonly minIntervalMs: number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number, wake: AbortSignal) => Promise<void>;

  constructor(
    private readonly write: (events: readonly TurnEvent[]) => Promise<void>,
    private readonly onFailure: (error: unknown) => void,
    options: EventWriterOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 0;
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? sleepUnlessWoken;
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  enqueue(event: TurnEvent): void {
    if (this.failure !== undefined || this.closed) return;
    this.queue.push(event);
    this.inFlight ??= this.drain();
  }

  /**
   * Ends the writing: resolves, once the write in flight (if any) has landed, to the events still
   * waiting, which stay unwritten; rejects if storage failed.
   */
  async close(): Promise<TurnEvent[]> {
    this.closed = true;
    this.wake.abort();
    while (this.inFlight) await this.inFlight;
    const unwritten = this.queue;
    this.queue = [];
    if (this.failure !== undefined) throw this.failure;
    return unwritten;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 && this.failure === undefined && !this.closed) {
        const wait = this.lastWriteAt + this.minIntervalMs - this.clock();
        if (wait > 0) await this.sleep(wait, this.wake.signal);
        if (this.closed) break;
        const batch = this.queue;
        this.queue = [];
        this.lastWriteAt = this.clock();
        await this.write(batch);
      }
    } catch (error) {
      this.failure = error;
      this.queue = [];
      this.onFailure(error);
    } finally {
      this.inFlight = undefined;
    }
  }
}
