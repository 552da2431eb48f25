import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';

/**
 * A loopback origin for proving the proxy: plain responses, an echo, and an event stream whose
 * events the test sends one at a time.
 */
export interface TestOrigin {
  port: number;
  seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders }>;
  /** Resolves when the next /stream request is open; returns a writer for its events. */
  nextStream(): Promise<OpenStream>;
  close(): Promise<void>;
}

export interface OpenStream {
  send(data: string): Promise<void>;
  end(): void;
  closed: Promise<void>;
}

export async function startTestOrigin(): Promise<TestOrigin> {
  const seen: TestOrigin['seen'] = [];
  const waiters: Array<(stream: OpenStream) => void> = [];
  const sockets = new Set<Socket>();
  const openStream = (res: ServerResponse): OpenStream => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    res.flushHeaders();
    return {
      send: (data) => new Promise<void>((resolve) => res.write(`data: ${data}\n\n`, () => resolve())),
      end: () => res.end(),
      closed: new Promise<void>((resolve) => res.on('close', () => resolve())),
    };
  };
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (req.url === '/stream') {
      const stream = openStream(res);
      waiters.shift()?.(stream);
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/echo') return res.end(`echo:${body}`);
      if (req.url?.startsWith('/bytes/')) return res.end('b'.repeat(Number(req.url.slice('/bytes/'.length))));
      res.end(`hello ${req.headers.host ?? ''}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    nextStream: () => new Promise<OpenStream>((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface ProxiedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** How many pieces the body was parsed in (one per HTTP chunk, or per read when not chunked). */
  reads: number;
}

/** Sends one request through the proxy as a browser does: absolute URI, no connection reuse. */
export function viaProxy(proxyPort: number, url: string, init: { method?: string; body?: string } = {}): Promise<ProxiedResponse> {
  return new Promise((resolve, reject) => {
    const headers = url.startsWith('http://') ? { Host: new URL(url).host } : {};
    const req = http.request({ host: '127.0.0.1', port: proxyPort, method: init.method ?? 'GET', path: url, agent: false, headers }, (res) => {
      let body = '';
      let reads = 0;
      res.on('data', (chunk: Buffer) => {
        reads += 1;
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, reads }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Opens an event stream through the proxy; `chunks` collects each read as it arrives. */
export function streamViaProxy(proxyPort: number, url: string): Promise<{ chunks: string[]; ended: Promise<'end' | 'error'>; abort(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxyPort, path: url, agent: false, headers: { Host: new URL(url).host } }, (res) => {
      const chunks: string[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
      const ended = new Promise<'end' | 'error'>((done) => {
        res.on('end', () => done('end'));
        res.on('error', () => done('error'));
        res.on('aborted', () => done('error'));
      });
      resolve({ chunks, ended, abort: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Sends a GET through the proxy on a raw socket and records every TCP read, head included. */
export function rawReadsViaProxy(proxyPort: number, url: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const reads: string[] = [];
    const socket = net.connect(proxyPort, '127.0.0.1', () => {
      socket.write(`GET ${url} HTTP/1.1\r\nHost: ${new URL(url).host}\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => reads.push(chunk.toString()));
    socket.on('end', () => resolve(reads));
    socket.on('error', reject);
  });
}
