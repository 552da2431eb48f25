import { envelope, readHostMessage, type FromHost, type ToHost } from './protocol.js';

export interface ParentBridge {
  post: (message: ToHost) => void;
  dispose: () => void;
}

/**
 * Talks to the host page through the loader. Posts go only to the verified host
 * origin; messages count only when they come from that exact origin AND from the
 * parent window itself (another frame of the same origin is not the loader).
 * With no verified host (opened directly, or an unknown host), it does nothing.
 */
export function makeParentBridge(win: Window, hostOrigin: string | null, onMessage: (message: FromHost) => void): ParentBridge {
  const parent = win.parent;
  if (!hostOrigin || parent === win) return { post: () => {}, dispose: () => {} };
  const listener = (event: MessageEvent) => {
    if (event.origin !== hostOrigin || event.source !== parent) return;
    const message = readHostMessage(event.data);
    if (message) onMessage(message);
  };
  win.addEventListener('message', listener);
  return {
    post: (message) => parent.postMessage(envelope(message), hostOrigin),
    dispose: () => win.removeEventListener('message', listener),
  };
}
