import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';

/**
 * The slice of node's request/response objects the emulator uses. HTTP/1.1 and the HTTP/2
 * compatibility API both satisfy it, so one router serves both protocols.
 */
export interface EmulatorRequest extends AsyncIterable<Buffer | string> {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly httpVersion: string;
}

export interface EmulatorResponse {
  writeHead(statusCode: number, headers: Record<string, string>): unknown;
  write(chunk: Uint8Array): boolean;
  end(chunk?: Uint8Array | string): unknown;
  once(event: 'drain', listener: () => void): unknown;
  once(event: 'close', listener: () => void): unknown;
  readonly writableEnded: boolean;
}

export function asExchange(
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse,
): { req: EmulatorRequest; res: EmulatorResponse } {
  return { req, res };
}

export function httpVersionOf(req: EmulatorRequest): '1.1' | '2.0' {
  return req.httpVersion === '2.0' ? '2.0' : '1.1';
}

export function sendJson(
  res: EmulatorResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export type BedrockErrorType =
  | 'ThrottlingException'
  | 'ValidationException'
  | 'ResourceNotFoundException'
  | 'ModelErrorException';

const STATUS: Record<BedrockErrorType, number> = {
  ThrottlingException: 429,
  ValidationException: 400,
  ResourceNotFoundException: 404,
  ModelErrorException: 424,
};

/** Errors the way Bedrock sends them: the SDK picks the exception class from x-amzn-ErrorType. */
export function sendBedrockError(res: EmulatorResponse, type: BedrockErrorType, message: string): void {
  sendJson(res, STATUS[type], { message }, { 'x-amzn-ErrorType': type, 'x-amzn-RequestId': randomUUID() });
}

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** The client went away while sending its request; there is no one left to answer. */
export class RequestAbortedError extends Error {
  override readonly name = 'RequestAbortedError';
}

export async function readBody(req: EmulatorRequest, limitBytes: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const part of req) {
      const buffer = typeof part === 'string' ? Buffer.from(part) : part;
      size += buffer.length;
      if (size > limitBytes) throw new BodyTooLargeError(`Request body exceeds ${limitBytes} bytes`);
      parts.push(buffer);
    }
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw error;
    throw new RequestAbortedError('Request body was cut off', { cause: error });
  }
  return Buffer.concat(parts).toString('utf8');
}
