// Runs dynalite on its own thread, so the storage server's CPU work does not queue behind the
// BFF's event loop (and the reverse) on the embedded stack. Plain JavaScript: a worker thread
// gets no TypeScript loader under every runner (tsx, vitest, node), and this file needs none.
import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { batchPlainDeletes } from './batchedDeletes.mjs';
import { deleteWithoutReading } from './deletesWithoutRead.mjs';
import { keepTableDescriptions } from './tableDescriptions.mjs';

const { dbPath, port } = workerData;
const deletesWithoutRead = deleteWithoutReading();
const deletesBatched = batchPlainDeletes();
// Loaded after the lines above, which have to change dynalite's deletes before dynalite binds them.
const { default: dynalite } = await import('dynalite');
const cachesTableDescriptions = keepTableDescriptions();
const server = dynalite({
  ...(dbPath === undefined ? {} : { path: dbPath }),
  // Table state changes are immediate instead of AWS-like delays.
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

async function close() {
  closing = true;
  server.closeIdleConnections();
  if (inFlight > 0) await once(server, 'drained');
  await new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // SDK clients keep connections alive; without this, close waits for their idle timeout.
    server.closeAllConnections();
  });
}

// Node closes a client's idle connection after 5 s. A client under load can pick such a
// connection from its pool before it has read the close, and its request then fails with
// "socket hang up"; a burst meets many of them and exhausts the SDK's retries (seen as lost writes
// when thousands of replies stored their ends at once). Clients here are the project's own processes,
// which close their connections themselves, so idle ones stay open until then or until shutdown.
server.keepAliveTimeout = 0;
server.once('error', (error) => parentPort.postMessage({ type: 'error', message: error.message }));
server.listen(port, '127.0.0.1', () => {
  parentPort.postMessage({ type: 'listening', port: server.address().port, cachesTableDescriptions: cachesTableDescriptions(), deletesWithoutRead, deletesBatched });
});
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  close().then(
    () => parentPort.postMessage({ type: 'closed' }),
    (error) => parentPort.postMessage({ type: 'closed', message: error.message }),
  );
});
