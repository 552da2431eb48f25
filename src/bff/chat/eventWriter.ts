import type { TurnEvent } from './turnEvent.js';

/**
 * Persists a turn's events in order while the stream goes on: events are sent at once and
 * written in batches, one batch in flight at a time, so a fast model never waits for storage.
 */
export class EventWriter {
  private queue: TurnEvent[] = [];
  private inFlight: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly write: (events: readonly TurnEvent[]) => Promise<void>,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  get failed(): boolean {
    return this.failure !== undefined;
  }

  enqueue(event: TurnEvent): void {
    if (this.failure !== undefined) return;
    this.queue.push(event);
    this.inFlight ??= this.drain();
  }

  /** Resolves when everything enqueued so far is stored; rejects if storage failed. */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    if (this.failure !== undefined) throw this.failure;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 && this.failure === undefined) {
        const batch = this.queue;
        this.queue = [];
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
