/**
 * Work queued by key: the tasks of one key run one after another, in the order they were queued,
 * while different keys run at once. A task that fails does not stop the ones queued after it. An
 * audit chain appends one entry at a time per tenant this way, and a session's memory is updated
 * one turn at a time.
 */
export class SerialQueues {
  /** The last task queued under each key that has one not yet ended, as a promise that never rejects. */
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` once every task queued before it under `key` has ended; settles as the task does. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves once every task queued under `key` so far has ended. */
  async idle(key: string): Promise<void> {
    await this.tails.get(key);
  }

  /** Resolves once no task is left under any key, tasks queued while it waits included. */
  async settled(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
