import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { EmulatorRequest, EmulatorResponse } from './exchange.js';

/** Every HTTP/2 connection opens with this preface (RFC 9113 §3.4). */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export type Handler = (req: EmulatorRequest, res: EmulatorResponse) => Promise<void>;

export interface DualProtocolServer {
  server: net.Server;
  /** Ends every connection now, including streams left open on purpose. */
  destroyConnections(): void;
}

/**
 * One port for HTTP/2 with prior knowledge (the SDK's NodeHttp2Handler on an http:// endpoint)
 * and HTTP/1.1 (curl, NodeHttpHandler): the first bytes of a connection decide which node server
 * receives the socket, with those bytes put back before it reads them.
 */
export function createDualProtocolServer(handler: Handler, onError: (error: unknown) => void): DualProtocolServer {
  const sockets = new Set<net.Socket>();
  const serve = (req: EmulatorRequest, res: EmulatorResponse & { destroy(): void }): void => {
    handler(req, res).catch((error: unknown) => {
      onError(error);
      res.destroy();
    });
  };
  const h1 = http.createServer(serve);
  const h2 = http2.createServer(serve);
  // A client that drops its HTTP/2 session mid-stream is routine here, not a server fault.
  h2.on('sessionError', () => undefined);

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    sniff(socket, (isH2) => (isH2 ? h2 : h1).emit('connection', socket));
  });

  return {
    server,
    destroyConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

function sniff(socket: net.Socket, route: (isH2: boolean) => void): void {
  let seen = Buffer.alloc(0);
  const onData = (data: Buffer): void => {
    seen = Buffer.concat([seen, data]);
    const compared = Math.min(seen.length, H2_PREFACE.length);
    const matches = seen.subarray(0, compared).equals(H2_PREFACE.subarray(0, compared));
    if (matches && seen.length < H2_PREFACE.length) return;
    socket.off('data', onData);
    socket.pause();
    socket.unshift(seen);
    route(matches);
    process.nextTick(() => socket.resume());
  };
  socket.on('data', onData);
}
