/** Reading and rewriting HTTP/1.1 message heads at the byte level, for a forward proxy. */

export const MAX_HEAD_BYTES = 64 * 1024;

export interface RequestHead {
  method: string;
  target: string;
  version: string;
  headers: Array<[string, string]>;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** Offset just past the blank line that ends the head, or -1 if it has not all arrived. */
export function headLength(buffer: Buffer): number {
  const at = buffer.indexOf(HEAD_END);
  return at === -1 ? -1 : at + HEAD_END.length;
}

function parseHeaderLines(lines: string[]): Array<[string, string]> | null {
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return headers;
}

export function parseRequestHead(head: string): RequestHead | null {
  const [requestLine = '', ...rest] = head.split('\r\n');
  const match = /^([A-Z]+) (\S+) (HTTP\/1\.[01])$/.exec(requestLine);
  if (!match) return null;
  const headers = parseHeaderLines(rest);
  if (!headers) return null;
  return { method: match[1]!, target: match[2]!, version: match[3]!, headers };
}

function headerValue(headers: Array<[string, string]>, name: string): string | undefined {
  return headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate']);

function isUpgrade(headers: Array<[string, string]>): boolean {
  return headerValue(headers, 'upgrade') !== undefined;
}

/**
 * The request as the origin server must see it: origin-form target and `Connection: close`.
 * One request per connection keeps every connection's host and fault scope unambiguous, and
 * lets a plain byte pipe carry the body and a streamed response untouched.
 */
export function toOriginRequest(head: RequestHead, url: URL): string {
  const upgrade = isUpgrade(head.headers);
  const lines = [`${head.method} ${url.pathname}${url.search} ${head.version}`];
  for (const [name, value] of head.headers) {
    const key = name.toLowerCase();
    if (HOP_BY_HOP.has(key) && !(upgrade && key === 'connection')) continue;
    lines.push(`${name}: ${value}`);
  }
  if (!headerValue(head.headers, 'host')) lines.push(`Host: ${url.host}`);
  if (!upgrade) lines.push('Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export function requestIsUpgrade(head: RequestHead): boolean {
  return isUpgrade(head.headers);
}

/**
 * Makes the browser see `Connection: close` on the response, so it never sends a second
 * request on a connection whose origin already closed.
 */
export function closeResponseHead(head: string): string {
  const [statusLine = '', ...rest] = head.split('\r\n');
  const kept = rest.filter((line) => line !== '' && !HOP_BY_HOP.has(line.slice(0, line.indexOf(':')).trim().toLowerCase()));
  return `${[statusLine, ...kept, 'Connection: close'].join('\r\n')}\r\n\r\n`;
}

/**
 * A stateful filter for the first response head of a connection: holds bytes until the head is
 * complete, rewrites it, then passes everything else through untouched.
 */
export function responseHeadCloser(): (chunk: Buffer) => Buffer {
  let pending: Buffer | null = Buffer.alloc(0);
  return (chunk) => {
    if (pending === null) return chunk;
    pending = Buffer.concat([pending, chunk]);
    const length = headLength(pending);
    if (length === -1) {
      if (pending.length <= MAX_HEAD_BYTES) return Buffer.alloc(0);
      const overflow = pending;
      pending = null;
      return overflow;
    }
    const head = closeResponseHead(pending.subarray(0, length - 4).toString('latin1'));
    const rest = pending.subarray(length);
    pending = null;
    return Buffer.concat([Buffer.from(head, 'latin1'), rest]);
  };
}

export function simpleResponse(status: number, reason: string, body: string, extra: Record<string, string> = {}): string {
  const headers = { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close', ...extra };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${status} ${reason}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}
