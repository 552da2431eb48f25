import dynalite from 'dynalite';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface RunningDynalite {
  url: string;
  close(): Promise<void>;
}

/** dynalite on loopback, with table state changes immediate instead of AWS-like delays. */
export async function listenDynalite(dbPath: string | undefined, port: number): Promise<RunningDynalite> {
  const server = dynalite({
    ...(dbPath === undefined ? {} : { path: dbPath }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  // dynalite throws from its request handler (an uncaught exception) when a request reaches a
  // closed database, so shutdown turns new requests away and lets running ones finish first.
  let closing = false;
  let inFlight = 0;
  server.prependListener('request', (req, res) => {
    if (closing) {
      req.socket.destroy();
      return;
    }
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) server.emit('drained');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      closing = true;
      server.closeIdleConnections();
      if (inFlight > 0) await once(server, 'drained');
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; without this, close waits for their idle timeout.
        server.closeAllConnections();
      });
    },
  };
}
