import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { FaultProxy } from './faultProxy.js';

/**
 * The proxy's faults over HTTP, so a QA team can drive a proxy it did not start in-process.
 * It listens on its own port: a blocked or stalled proxy must still take the call that lifts it.
 */
export interface ControlServer {
  readonly url: string;
  close(): Promise<void>;
}

const hosts = z.array(z.string().min(1).max(253)).max(50).optional();
const schemas = {
  cut: z.object({ hosts }).strict(),
  block: z.object({ duration: z.union([z.number().positive().max(86_400_000), z.literal('until-restore')]), hosts }).strict(),
  stall: z.object({ hosts }).strict(),
  throttle: z.object({ bytesPerSecond: z.number().min(1), latencyMs: z.number().min(0).max(60_000), hosts }).strict(),
  coalesce: z.object({ ms: z.number().positive().max(60_000), hosts }).strict(),
  restore: z.object({}).strict(),
};
type FaultName = keyof typeof schemas;

const requestQuery = z.object({
  method: z.string().optional(),
  host: z.string().optional(),
  path: z.string().optional(),
  outcome: z.enum(['forwarded', 'refused', 'unreachable', 'any']).optional(),
});

class ControlError extends Error {
  constructor(readonly status: number, readonly code: 'bad_request' | 'not_found' | 'method_not_allowed', message: string) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 16_384) throw new ControlError(400, 'bad_request', 'body too large');
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ControlError(400, 'bad_request', 'body is not JSON');
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ControlError(400, 'bad_request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

function applyFault(proxy: FaultProxy, name: FaultName, body: unknown): unknown {
  switch (name) {
    case 'cut': {
      const input = parse(schemas.cut, body);
      return { cut: proxy.cut(input) };
    }
    case 'block': {
      const input = parse(schemas.block, body);
      proxy.block(input.duration, input);
      break;
    }
    case 'stall':
      proxy.stall(parse(schemas.stall, body));
      break;
    case 'throttle': {
      const input = parse(schemas.throttle, body);
      proxy.throttle({ bytesPerSecond: input.bytesPerSecond, latencyMs: input.latencyMs }, input);
      break;
    }
    case 'coalesce': {
      const input = parse(schemas.coalesce, body);
      proxy.coalesce(input.ms, input);
      break;
    }
    case 'restore':
      parse(schemas.restore, body);
      proxy.restore();
      break;
  }
  return { faults: proxy.faults() };
}

async function route(proxy: FaultProxy, req: IncomingMessage): Promise<[number, unknown]> {
  const url = new URL(req.url ?? '/', 'http://control');
  const method = req.method ?? 'GET';
  const expect = (wanted: string) => {
    if (method !== wanted) throw new ControlError(405, 'method_not_allowed', `${url.pathname} takes ${wanted}`);
  };
  if (url.pathname === '/healthz') return [200, { ok: true }];
  if (url.pathname === '/faults') {
    expect('GET');
    return [200, { faults: proxy.faults() }];
  }
  const fault = /^\/faults\/([a-z]+)$/.exec(url.pathname)?.[1];
  if (fault !== undefined && fault in schemas) {
    expect('POST');
    return [200, applyFault(proxy, fault as FaultName, await readJson(req))];
  }
  if (url.pathname === '/requests') {
    expect('GET');
    const filter = parse(requestQuery, Object.fromEntries(url.searchParams));
    const requests = proxy.requests(filter);
    return [200, { count: requests.length, requests }];
  }
  if (url.pathname === '/requests/reset') {
    expect('POST');
    proxy.resetCounters();
    return [200, { count: 0 }];
  }
  throw new ControlError(404, 'not_found', `no route ${url.pathname}`);
}

export async function startControlServer(proxy: FaultProxy, port = 0): Promise<ControlServer> {
  const server = http.createServer((req, res) => {
    route(proxy, req).then(
      ([status, body]) => send(res, status, body),
      (error: unknown) => {
        if (error instanceof ControlError) return send(res, error.status, { error: { code: error.code, message: error.message } });
        if (error instanceof RangeError) return send(res, 400, { error: { code: 'bad_request', message: error.message } });
        send(res, 500, { error: { code: 'internal', message: 'control request failed' } });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
