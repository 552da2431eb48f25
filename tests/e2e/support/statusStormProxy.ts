import net, { type AddressInfo, type Socket } from 'node:net';

/**
 * A forward proxy placed in front of the fault proxy that can answer plain-http requests itself
 * with an error status (a 503 storm with Retry-After, as an overloaded load balancer would),
 * and passes everything else through untouched.
 */
export interface StatusStormProxy {
  /** `host:port`, for a browser's proxy settings. */
  readonly address: string;
  readonly url: string;
  /** The next `times` requests matching `method` and `path` on `host` get `status` with `Retry-After`. */
  storm(options: { times: number; status: number; retryAfterS: number; method: string; host: string; path: string }): void;
  /** When each storm answer was sent (epoch ms). */
  answeredAt(): number[];
  close(): Promise<void>;
}

interface Storm {
  left: number;
  status: number;
  retryAfterS: number;
  method: string;
  host: string;
  path: string;
}

const HEAD_END = '\r\n\r\n';
const MAX_HEAD = 64 * 1024;

function matches(storm: Storm | null, head: string): boolean {
  if (!storm || storm.left <= 0) return false;
  const [method, target] = head.slice(0, head.indexOf('\r\n')).split(' ');
  if (method !== storm.method || !target?.startsWith('http://')) return false;
  const url = new URL(target);
  return url.hostname === storm.host && url.pathname === storm.path;
}

export async function startStatusStormProxy(upstreamPort: number): Promise<StatusStormProxy> {
  let storm: Storm | null = null;
  const answered: number[] = [];
  const sockets = new Set<Socket>();

  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const head = buffered.toString('latin1');
      if (!head.includes(HEAD_END)) {
        if (buffered.length > MAX_HEAD) client.destroy();
        return;
      }
      client.off('data', onData);
      client.pause();
      if (storm && matches(storm, head)) {
        storm.left--;
        answered.push(Date.now());
        const body = JSON.stringify({ error: { code: 'unavailable', message: 'Service temporarily unavailable' } });
        client.end(
          `HTTP/1.1 ${storm.status} Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: ${storm.retryAfterS}\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
        return;
      }
      const upstream = net.connect(upstreamPort, '127.0.0.1', () => {
        upstream.write(buffered);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      sockets.add(upstream);
      upstream.on('close', () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    storm(options) {
      storm = { left: options.times, status: options.status, retryAfterS: options.retryAfterS, method: options.method, host: options.host, path: options.path };
    },
    answeredAt: () => [...answered],
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
