import type { ConnectionEvent } from '../../machines/connectionTypes.js';

type Send = (event: ConnectionEvent) => void;

/**
 * Forwards what the browser says about the network and the page's life to the
 * connection machine. Returns the cleanup. `freeze`/`resume` are the Page
 * Lifecycle events (Chromium); a page restored from the back/forward cache
 * arrives as `pageshow` with `persisted`.
 */
export function makePageSignals(win: Window, send: Send): () => void {
  const doc = win.document;
  const visibility = () => send({ type: doc.visibilityState === 'hidden' ? 'PAGE.HIDDEN' : 'PAGE.VISIBLE' });
  const online = () => send({ type: 'NETWORK.ONLINE' });
  const offline = () => send({ type: 'NETWORK.OFFLINE' });
  const frozen = () => send({ type: 'PAGE.FROZEN' });
  const resumed = () => {
    if (doc.visibilityState !== 'hidden') send({ type: 'PAGE.VISIBLE' });
  };
  const pageHide = (event: PageTransitionEvent) => {
    if (event.persisted) frozen();
  };
  const pageShow = (event: PageTransitionEvent) => {
    if (event.persisted) resumed();
  };
  win.addEventListener('online', online);
  win.addEventListener('offline', offline);
  win.addEventListener('pagehide', pageHide);
  win.addEventListener('pageshow', pageShow);
  doc.addEventListener('visibilitychange', visibility);
  doc.addEventListener('freeze', frozen);
  doc.addEventListener('resume', resumed);
  return () => {
    win.removeEventListener('online', online);
    win.removeEventListener('offline', offline);
    win.removeEventListener('pagehide', pageHide);
    win.removeEventListener('pageshow', pageShow);
    doc.removeEventListener('visibilitychange', visibility);
    doc.removeEventListener('freeze', frozen);
    doc.removeEventListener('resume', resumed);
  };
}
