import { EventStreamCodec } from '@smithy/eventstream-codec';

/**
 * AWS event-stream framing (binary prelude, typed headers, CRCs) for ConverseStream responses.
 * The encoder only needs UTF-8 conversions; TextEncoder/TextDecoder avoid depending on a
 * transitive smithy package.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const codec = new EventStreamCodec(
  (bytes: Uint8Array) => decoder.decode(bytes),
  (text: string) => encoder.encode(text),
);

export type ConverseStreamEventType =
  | 'messageStart'
  | 'contentBlockDelta'
  | 'contentBlockStop'
  | 'messageStop'
  | 'metadata';

export type ConverseStreamExceptionType =
  | 'modelStreamErrorException'
  | 'internalServerException'
  | 'throttlingException'
  | 'validationException';

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

export function encodeEvent(eventType: ConverseStreamEventType, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: encoder.encode(JSON.stringify(payload)),
  });
}

/** A modelled error inside an open stream: Bedrock uses `:exception-type`, not `:event-type`. */
export function encodeException(exceptionType: ConverseStreamExceptionType, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: encoder.encode(JSON.stringify({ message })),
  });
}
