import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/bff/observability/logger.js';
import { pathOnly, requestIdOf, requestLogging } from '../../../src/bff/observability/requestLogging.js';

describe('request ids', () => {
  it('keeps a sane incoming X-Request-Id', () => {
    expect(requestIdOf('abc-123_DEF.456:7')).toBe('abc-123_DEF.456:7');
  });

  it('replaces a missing, short, long or injected id with a UUID', () => {
    for (const bad of [undefined, '', 'short', 'x'.repeat(129), 'abc\r\nSet-Cookie: x=1', 'id with spaces ok?', '<script>alert(1)</script>']) {
      expect(requestIdOf(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('drops query strings and fragments from logged paths', () => {
    expect(pathOnly('/widget/?tenant=pk_x&token=eyJ')).toBe('/widget/');
    expect(pathOnly('/v1/state#frag')).toBe('/v1/state');
    expect(pathOnly('/v1/chat')).toBe('/v1/chat');
  });
});

describe('requestLogging on a real Express app', () => {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const log = createLogger('trace', {
      write: (line: string) => {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    });
    const app = express();
    app.use(requestLogging(log));
    app.use(express.json());
    app.post('/work', async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.info('deep inside the request');
      res.status(201).json({ ok: true });
    });
    app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  async function send(headers: Record<string, string> = {}) {
    lines.length = 0;
    const response = await fetch(`${url}/work?token=eyJsecret.token.value&tenant=pk_acme`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer eyJsecret.token.value', cookie: 'sid=secret-cookie', ...headers },
      body: JSON.stringify({ text: 'I have chest pain since Monday' }),
    });
    await response.text();
    await new Promise((resolve) => setTimeout(resolve, 20));
    return response;
  }

  it('echoes the caller\'s request id and puts it on every line of the request', async () => {
    const response = await send({ 'x-request-id': 'trace-0001-abcd' });
    expect(response.headers.get('x-request-id')).toBe('trace-0001-abcd');
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['deep inside the request', 'request completed']));
    for (const line of lines) expect(line.reqId).toBe('trace-0001-abcd');
    for (const line of raw.slice(-lines.length)) expect(line.match(/"reqId"/g)).toHaveLength(1);
  });

  it('generates an id when none is sent, the same in the header and the logs', async () => {
    const response = await send();
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line.reqId).toBe(id);
  });

  it('logs method, path without query, status and duration, and no body, header, token or cookie', async () => {
    await send();
    const completed = lines.find((l) => l.msg === 'request completed')!;
    expect(completed.req).toEqual({ method: 'POST', path: '/work' });
    expect(completed.res).toEqual({ status: 201 });
    expect(typeof completed.durationMs).toBe('number');
    const all = JSON.stringify(lines);
    for (const secret of ['eyJsecret', 'secret-cookie', 'chest pain', 'pk_acme', 'authorization', 'user-agent']) expect(all).not.toContain(secret);
  });

  it('does not log health probes', async () => {
    lines.length = 0;
    await (await fetch(`${url}/healthz`)).text();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines).toEqual([]);
  });
});
