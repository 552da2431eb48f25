import { describe, expect, it } from 'vitest';
import { closeResponseHead, parseRequestHead, responseHeadCloser, toOriginRequest } from './httpHead.js';

describe('HTTP head rewriting', () => {
  it('turns a proxy request into an origin-form request that closes its connection', () => {
    const head = parseRequestHead('POST http://bff.test:8080/v1/chat?x=1 HTTP/1.1\r\nHost: bff.test:8080\r\nProxy-Connection: keep-alive\r\nConnection: keep-alive\r\nContent-Length: 2');
    expect(head).not.toBeNull();
    const rewritten = toOriginRequest(head!, new URL(head!.target));
    expect(rewritten).toBe('POST /v1/chat?x=1 HTTP/1.1\r\nHost: bff.test:8080\r\nContent-Length: 2\r\nConnection: close\r\n\r\n');
  });

  it('keeps the Connection header of an upgrade request', () => {
    const head = parseRequestHead('GET http://bff.test/ws HTTP/1.1\r\nHost: bff.test\r\nConnection: Upgrade\r\nUpgrade: websocket');
    expect(toOriginRequest(head!, new URL(head!.target))).toContain('Connection: Upgrade\r\n');
  });

  it('rejects request lines that are not HTTP/1.x', () => {
    expect(parseRequestHead('GET / HTTP/2\r\nHost: x')).toBeNull();
    expect(parseRequestHead('hello')).toBeNull();
    expect(parseRequestHead('GET / HTTP/1.1\r\nno colon here')).toBeNull();
  });

  it('replaces keep-alive with close on the response head, whatever the case of the header', () => {
    expect(closeResponseHead('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: keep-alive\r\nKeep-Alive: timeout=5')).toBe(
      'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nConnection: close\r\n\r\n',
    );
  });

  it('holds a response head split across reads until it is complete, then passes the body untouched', () => {
    const close = responseHeadCloser();
    expect(close(Buffer.from('HTTP/1.1 200 OK\r\nConnection: keep'))).toHaveLength(0);
    expect(close(Buffer.from('-alive\r\n\r\ndata: 1\n\n')).toString()).toBe('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\ndata: 1\n\n');
    expect(close(Buffer.from('Connection: keep-alive\r\n\r\n')).toString()).toBe('Connection: keep-alive\r\n\r\n');
  });
});
