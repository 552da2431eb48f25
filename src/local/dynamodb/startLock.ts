import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A machine-wide mutex for starting the embedded DynamoDB of one data directory. It is a listening
 * local socket, so the kernel frees it when its holder dies: on Linux an abstract socket, on
 * Windows a named pipe (both vanish with the process), elsewhere a socket file whose staleness is
 * detected by a refused connection.
 */
export async function tryAcquireStartLock(dir: string): Promise<(() => Promise<void>) | undefined> {
  const address = lockAddress(dir);
  const server = net.createServer((socket) => socket.destroy());
  server.unref();
  let listening = await listen(server, address);
  if (!listening && isSocketFile(address) && !(await answers(address))) {
    rmSync(address, { force: true });
    listening = await listen(server, address);
  }
  if (!listening) return undefined;
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

function lockAddress(dir: string): string {
  const id = createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 32);
  if (process.platform === 'linux') return `\0picasso-dynamo-${id}`;
  if (process.platform === 'win32') return `\\\\?\\pipe\\picasso-dynamo-${id}`;
  // Unix socket paths are limited to ~104 bytes, so the file lives in the temp dir.
  return path.join(tmpdir(), `picasso-dynamo-${id}.sock`);
}

function isSocketFile(address: string): boolean {
  return !address.startsWith('\0') && !address.startsWith('\\\\');
}

function listen(server: net.Server, address: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') resolve(false);
      else reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(address);
  });
}

function answers(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(address);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
