import { EventStreamCodec, type Message } from '@smithy/eventstream-codec';
import http from 'node:http';
import http2 from 'node:http2';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http straight to the emulator, no SDK in between. */
export function postHttp1(url: string, path: string, body: string, method = 'POST'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(path, url), { method, headers: { 'content-type': 'application/json' } }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts) }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** node:http2 with prior knowledge (no upgrade), as an h2c client does it. */
export function postHttp2(url: string, path: string, body: string, method = 'POST'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url);
    session.on('error', reject);
    const stream = session.request({ ':method': method, ':path': path, 'content-type': 'application/json' });
    let status = 0;
    let headers: RawResponse['headers'] = {};
    const parts: Buffer[] = [];
    stream.on('response', (received) => {
      status = Number(received[':status']);
      headers = received;
    });
    stream.on('data', (part: Buffer) => parts.push(part));
    stream.on('end', () => {
      session.close();
      resolve({ status, headers, body: Buffer.concat(parts) });
    });
    stream.on('error', reject);
    // node ends the request side of GET streams itself.
    if (stream.writable) stream.end(body);
  });
}

export interface DecodedFrame {
  headers: Record<string, string>;
  payload: unknown;
}

/** Splits a raw event-stream body into frames (by each prelude's total length) and checks CRCs. */
export function decodeFrames(body: Buffer): DecodedFrame[] {
  const codec = new EventStreamCodec(
    (bytes) => new TextDecoder().decode(bytes),
    (text) => new TextEncoder().encode(text),
  );
  const frames: DecodedFrame[] = [];
  for (let at = 0; at < body.length; ) {
    const length = body.readUInt32BE(at);
    frames.push(toFrame(codec.decode(body.subarray(at, at + length))));
    at += length;
  }
  return frames;
}

function toFrame(message: Message): DecodedFrame {
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(message.headers)) headers[name] = String(header.value);
  return { headers, payload: JSON.parse(new TextDecoder().decode(message.body)) };
}
