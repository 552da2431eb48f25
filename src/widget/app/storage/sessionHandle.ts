import type { SessionHandleSource } from '../../transport/sessionApi.js';

/**
 * The session handle the loader passes in the iframe URL's fragment (`#handle=...`) when the
 * iframe has no storage of its own. A fragment is never sent to a server nor written to its logs.
 * It is read once, at load, and removed from the URL at once; the server checks the handle anyway.
 */
export const handleParam = 'handle';

// Three base64url segments, as long as a token of ours can be (tokenPolicy MAX_TOKEN_LENGTH).
const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const maxLength = 4096;

type HandleWindow = Pick<Window, 'location' | 'history'>;

/** The handle in this document's fragment, if well-formed; the fragment is cleared either way. */
export function takeSessionHandle(win: Partial<HandleWindow>): string | null {
  const { location, history } = win;
  if (!location || !location.hash) return null;
  const handle = new URLSearchParams(location.hash.slice(1)).get(handleParam);
  try {
    history?.replaceState(history.state, '', `${location.pathname}${location.search}`);
  } catch {
    // Only hygiene: the handle is useless outside this origin anyway.
  }
  return handle && handle.length <= maxLength && compactJws.test(handle) ? handle : null;
}

/** Hands the handle out until the server has answered it, then never again (a clear starts afresh). */
export function makeSessionHandleSource(handle: string | null): SessionHandleSource {
  let kept = handle;
  return {
    current: () => kept,
    drop: () => {
      kept = null;
    },
  };
}
