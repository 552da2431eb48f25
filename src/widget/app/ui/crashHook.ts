import { createComputed, createSignal } from 'solid-js';
import type { ErrorRegion } from '../chat/reportClientError.js';

/** The error a requested test crash throws; its name becomes the reported code `testcrash`. */
export class TestCrash extends Error {
  override name = 'TestCrash';
}

const [request, setRequest] = createSignal<ErrorRegion | null>(null);

/**
 * Lets end-to-end tests crash one region of the running widget. It listens only when the
 * BFF's widget config says `testHooks: true`, which the BFF emits only with TEST_HOOKS=1 and
 * refuses when NODE_ENV=production; the event can only come from script already running in
 * the iframe's own document.
 */
export function makeCrashHook(win: Window, enabled: boolean): () => void {
  if (!enabled) return () => {};
  const listener = (event: Event) => {
    const region = event instanceof CustomEvent ? event.detail : null;
    if (region === 'app' || region === 'messages' || region === 'composer' || region === 'panel') setRequest(region);
  };
  win.addEventListener('picasso:test-crash', listener);
  return () => win.removeEventListener('picasso:test-crash', listener);
}

/**
 * Throws inside its region when a crash of that region was requested; renders nothing. A computed
 * (not a function child) so that the error belongs to this region's owner and boundary.
 */
export function CrashPoint(props: { region: ErrorRegion }) {
  createComputed(() => {
    if (request() !== props.region) return;
    setRequest(null);
    throw new TestCrash('requested crash');
  });
  return null;
}
