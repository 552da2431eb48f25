import type { Response } from 'express';
import type { TurnEvent } from '../chat/turnEvent.js';

/** Writes a turn's events as text/event-stream with heartbeats until the feed or client ends. */
export async function writeSse(
  res: Response,
  feed: AsyncIterable<TurnEvent>,
  options: { heartbeatMs: number; onClose: () => void },
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store, no-transform');
  res.setHeader('Connection', 'keep-alive');
  // Proxies such as nginx buffer responses unless told not to, which would hold tokens back.
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write(`: open\n\n`);
  const heartbeat = setInterval(() => res.write(`: ping\n\n`), options.heartbeatMs);
  res.on('close', options.onClose);
  try {
    for await (const event of feed) {
      res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
    }
  } finally {
    clearInterval(heartbeat);
    res.end();
  }
}
