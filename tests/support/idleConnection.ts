import net from 'node:net';

export interface IdleConnectionOutcome {
  /** Everything the server sent, both answers included. */
  received: string;
  /** The server closed the connection while it sat idle. */
  closedWhileIdle: boolean;
  /** Answers received (status lines), 2 when the second request was served on the same connection. */
  answers: number;
}

/**
 * Sends a request on a raw connection, leaves the connection idle for `idleMs`, then sends it
 * again on the same connection: what a pooling client (an SDK, a load balancer) does.
 */
export async function requestAgainAfterIdle(port: number, request: string, idleMs: number): Promise<IdleConnectionOutcome> {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  let closed = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  const answers = () => received.split('HTTP/1.1 ').length - 1;
  const waitFor = async (done: () => boolean) => {
    while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  try {
    socket.write(request);
    await waitFor(() => answers() === 1 || closed);
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const closedWhileIdle = closed;
    if (!closed) {
      socket.write(request);
      await waitFor(() => answers() === 2 || closed);
    }
    return { received, closedWhileIdle, answers: answers() };
  } finally {
    socket.destroy();
  }
}
