import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { isAppError } from '../../../src/bff/errors.js';

/**
 * Renders errors the way the contract requires ({"error":{code,message}}, status by code, the
 * error's headers and Retry-After), so tests see what a client of the real app sees.
 */
export const renderErrors: ErrorRequestHandler = (error, _req, res, _next) => {
  if (isAppError(error)) {
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    if (error.retryAfterS !== undefined) res.setHeader('Retry-After', String(error.retryAfterS));
    res.status(error.status).json(error.toJSON());
    return;
  }
  res.status(500).json({ error: { code: 'internal_error', message: 'unexpected' } });
};

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the app on a free loopback port, with the error renderer mounted last. */
export async function serve(build: (app: Express) => void): Promise<TestServer> {
  const app = express();
  build(app);
  app.use(renderErrors);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
