import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type Message,
  type SystemContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { ModelFailure, type ChatModel, type ModelEvent, type ModelRequest } from './chatModel.js';

export interface BedrockTarget {
  region: string;
  /** A URL for the local emulator or a private endpoint; undefined = the region's AWS endpoint. */
  url?: string | undefined;
}

/**
 * Replies streamed at once over one HTTP/2 connection before another is opened. A server may
 * advertise fewer (a stream beyond its limit would wait for a free slot), and 100 is the least
 * RFC 9113 advises a server to allow.
 */
const STREAMS_PER_CONNECTION = 100;

/**
 * The SDK gives every event-stream call (each ConverseStream) an HTTP/2 connection of its own:
 * against Bedrock a TCP and TLS handshake per reply before its first token, and a connection's
 * memory per open reply. A reply here only reads its stream, and reads it to the end whether or
 * not a client listens, so replies can share connections as other calls do: up to
 * STREAMS_PER_CONNECTION each, a new connection when all are full.
 */
export class SharedConnectionsHandler extends NodeHttp2Handler {
  constructor(streamsPerConnection = STREAMS_PER_CONNECTION) {
    super({ maxConcurrentStreams: streamsPerConnection });
  }

  override handle(...[request, options]: Parameters<NodeHttp2Handler['handle']>) {
    // The SDK serialises a small body into a view of Node's shared 8 KB buffer pool and keeps the
    // request for as long as the reply streams, so each open reply held a whole pool slab. A copy
    // holds the body's own bytes only.
    const body: unknown = request.body;
    if (body instanceof Uint8Array && body.byteLength < body.buffer.byteLength) request.body = new Uint8Array(body);
    return super.handle(request, { ...options, isEventStream: false });
  }
}

export function createBedrockClient(target: BedrockTarget): BedrockRuntimeClient {
  const local = target.url !== undefined && !process.env.AWS_ACCESS_KEY_ID;
  return new BedrockRuntimeClient({
    region: target.region,
    ...(target.url ? { endpoint: target.url } : {}),
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    requestHandler: new SharedConnectionsHandler(),
    // Retries belong to the turn: a retried ConverseStream would be a second generation.
    maxAttempts: 1,
  });
}

function toBedrock(request: ModelRequest): { messages: Message[]; system: SystemContentBlock[] | undefined } {
  return {
    messages: request.messages.map((m) => ({ role: m.role, content: [{ text: m.text }] })),
    system: request.system ? [{ text: request.system }] : undefined,
  };
}

/** Maps SDK exceptions (by their modelled names) onto the port's failure kinds. */
export function toModelFailure(error: unknown): ModelFailure {
  if (error instanceof ModelFailure) return error;
  const name = error instanceof Error ? error.name : 'Unknown';
  switch (name) {
    case 'ThrottlingException':
    case 'ServiceQuotaExceededException':
      return new ModelFailure('throttled', 'The model is busy; try again shortly', true, { cause: error });
    case 'ModelStreamErrorException':
    case 'ModelErrorException':
    case 'InternalServerException':
      return new ModelFailure('model_error', 'The model failed while answering', true, { cause: error });
    case 'ValidationException':
    case 'AccessDeniedException':
    case 'ResourceNotFoundException':
      return new ModelFailure('validation', 'The model refused the request', false, { cause: error });
    default:
      return new ModelFailure('unavailable', 'The model could not be reached', true, { cause: error });
  }
}

export function createBedrockModel(client: BedrockRuntimeClient): ChatModel {
  return {
    async *stream(request: ModelRequest): AsyncIterable<ModelEvent> {
      const { messages, system } = toBedrock(request);
      try {
        const response = await client.send(
          new ConverseStreamCommand({ modelId: request.modelId, messages, system }),
          { abortSignal: request.signal },
        );
        if (!response.stream) throw new ModelFailure('model_error', 'The model returned no stream', true);
        for await (const event of response.stream) {
          if (request.signal?.aborted) return;
          const text = event.contentBlockDelta?.delta?.text;
          if (text) yield { type: 'text', text };
          else if (event.messageStop) yield { type: 'stop', reason: event.messageStop.stopReason ?? 'end_turn' };
        }
      } catch (error) {
        if (request.signal?.aborted) return;
        throw toModelFailure(error);
      }
    },

    async complete(request: ModelRequest): Promise<string> {
      const { messages, system } = toBedrock(request);
      try {
        const response = await client.send(new ConverseCommand({ modelId: request.modelId, messages, system }), {
          abortSignal: request.signal,
        });
        return (response.output?.message?.content ?? []).map((block) => block.text ?? '').join('');
      } catch (error) {
        throw toModelFailure(error);
      }
    },
  };
}
