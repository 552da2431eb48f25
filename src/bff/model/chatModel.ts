/** The port the chat service uses to reach a language model; Bedrock is one adapter behind it. */
export interface ModelMessage {
  role: 'user' | 'assistant';
  text: string;
}

export interface ModelRequest {
  modelId: string;
  system?: string | undefined;
  messages: ModelMessage[];
  signal?: AbortSignal | undefined;
}

export type ModelEvent = { type: 'text'; text: string } | { type: 'stop'; reason: string };

export type ModelFailureKind = 'throttled' | 'model_error' | 'unavailable' | 'validation';

/** A model call that failed; `retryable` says whether the same request may succeed later. */
export class ModelFailure extends Error {
  constructor(
    readonly kind: ModelFailureKind,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ModelFailure';
  }
}

export interface ChatModel {
  /** Streams the reply; throws ModelFailure. Ends silently when `signal` aborts. */
  stream(request: ModelRequest): AsyncIterable<ModelEvent>;
  /** One whole reply, for background work such as summaries. */
  complete(request: ModelRequest): Promise<string>;
}
