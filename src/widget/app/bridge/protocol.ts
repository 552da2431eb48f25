/**
 * The versioned postMessage protocol between the loader (host page) and this
 * iframe. Every message is `{ source: 'picasso', v: 1, type, ...payload }`;
 * payloads carry metadata only, never message text. `handle` is sent only when
 * the iframe has no storage of its own: an opaque session handle the loader keeps
 * for the next page load, which only this iframe's origin can use.
 */
export const protocolSource = 'picasso';
export const protocolVersion = 1;

export type MessageStatus = 'streaming' | 'complete' | 'interrupted' | 'error';

export type ToHost =
  | { type: 'ready'; theme: { accent?: string } }
  | { type: 'close' }
  | { type: 'message'; role: 'user' | 'assistant'; messageId: string; status: MessageStatus }
  | { type: 'error'; code: string }
  | { type: 'handle'; handle: string };

export type FromHost = { type: 'open' } | { type: 'close' };

export type Envelope<T> = T & { source: typeof protocolSource; v: typeof protocolVersion };

export function envelope<T extends ToHost>(message: T): Envelope<T> {
  return { source: protocolSource, v: protocolVersion, ...message };
}

/** Accepts only a well-formed message of this protocol version from the host. */
export function readHostMessage(data: unknown): FromHost | null {
  if (typeof data !== 'object' || data === null) return null;
  const candidate = data as { source?: unknown; v?: unknown; type?: unknown };
  if (candidate.source !== protocolSource || candidate.v !== protocolVersion) return null;
  return candidate.type === 'open' || candidate.type === 'close' ? { type: candidate.type } : null;
}
