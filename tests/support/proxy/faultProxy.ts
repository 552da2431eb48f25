import net, { type AddressInfo, type Socket } from 'node:net';
import { systemClock, type Clock } from './clock.js';
import { FaultBook, scopeMatches, type FaultScope, type FaultSnapshot, type Throttle } from './faultBook.js';
import { hostPolicy, parseAuthority } from './hostPolicy.js';
import { headLength, MAX_HEAD_BYTES, parseRequestHead, requestIsUpgrade, responseHeadCloser, simpleResponse, toOriginRequest, type RequestHead } from './httpHead.js';
import { Link, resetSocket } from './link.js';
import { RequestLog, type RequestFilter, type RequestRecord } from './requestLog.js';

export interface FaultProxyOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Names forwarded through normal DNS (a staging deployment); everything else must be a test host. */
  passthroughHosts?: readonly string[];
  clock?: Clock;
}

export interface FaultProxy {
  /** `http://127.0.0.1:PORT`, for Playwright's `proxy.server`. */
  readonly url: string;
  /** `127.0.0.1:PORT`, for a WebDriver manual proxy. */
  readonly address: string;
  readonly port: number;
  /** Resets every open connection in scope now. Returns how many were cut. */
  cut(scope?: FaultScope): number;
  /** A network outage: open connections in scope are cut and new ones are reset until it ends. */
  block(duration: number | 'until-restore', scope?: FaultScope): void;
  /** Half-open links: sockets stay open but no byte (and no FIN) moves in either direction. */
  stall(scope?: FaultScope): void;
  throttle(throttle: Throttle, scope?: FaultScope): void;
  /** Releases origin-to-browser bytes only every `ms`, merged, as a buffering middlebox does. */
  coalesce(ms: number, scope?: FaultScope): void;
  /** Lifts every fault; held bytes are delivered in order. */
  restore(): void;
  faults(): FaultSnapshot;
  requests(filter?: RequestFilter): RequestRecord[];
  count(filter?: RequestFilter): number;
  resetCounters(): void;
  openConnections(scope?: FaultScope): number;
  close(): Promise<void>;
}

interface Target {
  kind: RequestRecord['kind'];
  host: string;
  port: number;
  path: string;
}

function targetOf(head: RequestHead): Target | null {
  if (head.method === 'CONNECT') {
    const authority = parseAuthority(head.target);
    return authority && { kind: 'connect', ...authority, path: '' };
  }
  if (!head.target.startsWith('http://')) return null;
  try {
    const url = new URL(head.target);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return { kind: 'http', host, port: url.port === '' ? 80 : Number(url.port), path: url.pathname };
  } catch {
    return null;
  }
}

const ESTABLISHED = Buffer.from('HTTP/1.1 200 Connection Established\r\n\r\n', 'latin1');

export async function startFaultProxy(options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const clock = options.clock ?? systemClock;
  const book = new FaultBook(clock);
  const log = new RequestLog();
  const policy = hostPolicy(options.passthroughHosts);
  const links = new Set<Link>();
  const waiting = new Set<Socket>();

  function reply(socket: Socket, status: number, reason: string, body: string): void {
    socket.end(simpleResponse(status, reason, body, { 'X-Fault-Proxy': 'refused' }));
  }

  function dispatch(client: Socket, head: RequestHead, rest: Buffer): void {
    const target = targetOf(head);
    if (!target) return reply(client, 400, 'Bad Request', 'This is a forward proxy: send absolute http:// URIs or CONNECT.\n');
    const address = policy.resolve(target.host);
    if (address === null) return reply(client, 403, 'Forbidden', `Host ${target.host} is not a test host nor a pass-through host.\n`);
    const record: RequestRecord = { at: clock.now(), kind: target.kind, method: head.method, host: target.host, port: target.port, path: target.path, outcome: 'forwarded' };
    log.add(record);
    if (book.isBlocked(target.host)) {
      record.outcome = 'refused';
      return resetSocket(client);
    }

    const upstream = net.connect({ host: address, port: target.port, allowHalfOpen: true });
    let connected = false;
    upstream.once('connect', () => (connected = true));
    upstream.once('error', () => {
      // The origin is down: the browser sees a failed connection, as it would without a proxy.
      if (!connected) record.outcome = 'unreachable';
    });
    const upgrade = target.kind === 'http' && requestIsUpgrade(head);
    const link = new Link({
      host: target.host,
      client,
      upstream,
      policy: () => book.policyFor(target.host),
      clock,
      ...(target.kind === 'http' && !upgrade ? { downstreamFilter: responseHeadCloser() } : {}),
      onClose: (closed) => links.delete(closed),
    });
    links.add(link);
    if (target.kind === 'connect') {
      upstream.once('connect', () => link.sendDown(ESTABLISHED));
    } else {
      link.sendUp(Buffer.from(toOriginRequest(head, new URL(head.target)), 'latin1'));
    }
    if (rest.length > 0) link.sendUp(rest);
  }

  function accept(client: Socket): void {
    waiting.add(client);
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const length = headLength(buffered);
      if (length === -1) {
        if (buffered.length > MAX_HEAD_BYTES) finish(() => reply(client, 431, 'Request Header Fields Too Large', 'Head too large.\n'));
        return;
      }
      const head = parseRequestHead(buffered.subarray(0, length - 4).toString('latin1'));
      const rest = buffered.subarray(length);
      finish(() => (head ? dispatch(client, head, rest) : reply(client, 400, 'Bad Request', 'Malformed request head.\n')));
    };
    const finish = (next: () => void) => {
      client.off('data', onData);
      waiting.delete(client);
      next();
    };
    client.on('data', onData);
    client.on('error', () => client.destroy());
    client.on('close', () => waiting.delete(client));
  }

  const server = net.createServer({ allowHalfOpen: true }, accept);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const inScope = (scope: FaultScope | undefined) => (link: Link) => scopeMatches(scope?.hosts?.length ? scope.hosts.map((h) => h.toLowerCase()) : null, link.host);
  const cut = (scope?: FaultScope): number => {
    const doomed = [...links].filter(inScope(scope));
    for (const link of doomed) link.cut();
    let count = doomed.length;
    // A connection still sending its head has no host yet: only an unscoped cut reaches it.
    if (!scope?.hosts?.length) {
      for (const socket of waiting) resetSocket(socket);
      count += waiting.size;
      waiting.clear();
    }
    return count;
  };
  const refresh = () => {
    for (const link of links) link.refresh();
  };

  return {
    url: `http://127.0.0.1:${port}`,
    address: `127.0.0.1:${port}`,
    port,
    cut,
    block(duration, scope) {
      book.block(duration, scope);
      cut(scope);
    },
    stall(scope) {
      book.stall(scope);
      refresh();
    },
    throttle(throttle, scope) {
      book.throttle(throttle, scope);
      refresh();
    },
    coalesce(ms, scope) {
      book.coalesce(ms, scope);
      refresh();
    },
    restore() {
      book.restore();
      refresh();
    },
    faults: () => book.snapshot(),
    requests: (filter) => log.list(filter),
    count: (filter) => log.count(filter),
    resetCounters: () => log.reset(),
    openConnections: (scope) => [...links].filter(inScope(scope)).length,
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
