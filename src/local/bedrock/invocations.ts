export type InvocationOperation = 'converse-stream' | 'converse';

export type InvocationOutcome =
  | 'running'
  | 'completed'
  | 'throttled'
  | 'model-error'
  | 'hanging'
  | 'aborted';

/** One model call as the emulator saw it; tests count these to prove exactly-once invocation. */
export interface Invocation {
  id: number;
  operation: InvocationOperation;
  modelId: string;
  lastUserText: string;
  /** ISO 8601 time the request arrived. */
  at: string;
  httpVersion: '1.1' | '2.0';
  outcome: InvocationOutcome;
  /** Reply chunks written so far (for Converse: all or none). */
  chunksSent: number;
}

export type NewInvocation = Pick<Invocation, 'operation' | 'modelId' | 'lastUserText' | 'httpVersion'>;

export class InvocationLog {
  private entries: Invocation[] = [];
  private nextId = 1;

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** The returned record is live: the caller updates outcome and chunksSent as the reply runs. */
  record(call: NewInvocation): Invocation {
    const entry: Invocation = {
      id: this.nextId++,
      ...call,
      at: this.now().toISOString(),
      outcome: 'running',
      chunksSent: 0,
    };
    this.entries.push(entry);
    return entry;
  }

  list(): Invocation[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  reset(): void {
    this.entries = [];
  }
}
