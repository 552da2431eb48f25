import type { Socket } from 'node:net';
import type { Clock } from './clock.js';
import type { LinkPolicy } from './faultBook.js';
import { Pump } from './pump.js';

/** Closes a socket with a TCP RST, as a dropped network path does, rather than a polite FIN. */
export function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    // Not yet connected: there is no handle to reset, so a plain destroy is all there is.
    socket.destroy();
  }
}

export interface LinkOptions {
  host: string;
  client: Socket;
  upstream: Socket;
  policy: () => LinkPolicy;
  clock: Clock;
  /** Rewrites what the origin sends before it is queued for the browser. */
  downstreamFilter?: (chunk: Buffer) => Buffer;
  onClose: (link: Link) => void;
}

/**
 * One proxied connection: the browser's socket, the origin's socket, and a fault-aware pump for
 * each direction. FINs travel through the pumps like bytes, so a stall also holds them back;
 * errors and cuts end both sides at once with a reset.
 */
export class Link {
  readonly host: string;
  private readonly client: Socket;
  private readonly upstream: Socket;
  private readonly up: Pump;
  private readonly down: Pump;
  private closed = false;

  constructor(private readonly options: LinkOptions) {
    const { client, upstream, policy, clock } = options;
    this.host = options.host;
    this.client = client;
    this.upstream = upstream;
    // Coalescing is a property of what the browser receives; requests go out as sent.
    this.up = new Pump(client, upstream, () => ({ ...policy(), coalesce: null }), clock);
    this.down = new Pump(upstream, client, policy, clock);
    const filter = options.downstreamFilter;

    client.on('data', (chunk: Buffer) => this.up.push(chunk));
    upstream.on('data', (chunk: Buffer) => this.down.push(filter ? filter(chunk) : chunk));
    client.on('end', () => this.up.finish());
    upstream.on('end', () => this.down.finish());
    client.on('error', () => this.cut());
    upstream.on('error', () => this.cut());
    client.on('close', (hadError) => {
      if (hadError) return this.cut();
      this.down.dispose();
      this.up.finish(() => this.settle());
    });
    upstream.on('close', (hadError) => {
      if (hadError) return this.cut();
      this.down.finish(() => this.settle());
    });
  }

  sendUp(data: Buffer): void {
    this.up.push(data);
  }

  sendDown(data: Buffer): void {
    this.down.push(data);
  }

  refresh(): void {
    this.up.refresh();
    this.down.refresh();
  }

  /** Both sides get a reset now; bytes still held are dropped. */
  cut(): void {
    if (this.closed) return;
    this.closed = true;
    this.up.dispose();
    this.down.dispose();
    resetSocket(this.client);
    resetSocket(this.upstream);
    this.options.onClose(this);
  }

  /** Called when one side has closed cleanly and what it sent has been delivered. */
  private settle(): void {
    if (this.closed) return;
    this.closed = true;
    this.up.dispose();
    this.down.dispose();
    // Ends what is still open once its written bytes are flushed, without waiting on the peer.
    this.client.destroySoon();
    this.upstream.destroySoon();
    this.options.onClose(this);
  }
}
