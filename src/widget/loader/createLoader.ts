/**
 * The host-page loader: one launcher button, one lazily created iframe, and the
 * `window.Picasso` command queue. It is a pure function of (win, doc, options)
 * so tests can run it against fakes, and it imports nothing: it ships alone,
 * as loader.js, within a 2 KB gzip budget.
 */

export type PicassoListener = (detail: Record<string, unknown>) => void;

/** `window.Picasso`: a function queueing commands in `.q` until the loader replaces it. */
export interface PicassoCommand {
  (command: string, ...args: unknown[]): void;
  q?: ArrayLike<unknown>[];
  loaded?: 1;
}

export type LoaderWindow = Window & { Picasso?: PicassoCommand };

export interface LoaderOptions {
  /** How long the iframe may take to say `ready` after it was opened. */
  readyTimeoutMs?: number;
}

const source = 'picasso';
const narrowPx = 640;
const svgNs = 'http://www.w3.org/2000/svg';
const icons = {
  chat: 'M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z',
  close: 'M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z',
  alert: 'M11 5h2v9h-2zm0 11h2v2h-2z',
};

type Styles = Partial<Record<keyof CSSStyleDeclaration, string>>;

// Styles go through CSSOM properties, never a style attribute or <style>, so a
// host page with a strict style-src CSP needs no exception for the loader.
const css = (element: HTMLElement | SVGElement, styles: Styles) => Object.assign(element.style, styles);

export function createLoader(win: LoaderWindow, doc: Document, options: LoaderOptions = {}): void {
  const stub = win.Picasso;
  if (stub && stub.loaded) return;
  const script = (doc.currentScript || doc.querySelector('script[data-tenant][src$="/loader.js"]')) as HTMLScriptElement | null;
  const embedKey = script && script.getAttribute('data-tenant');
  if (!script || !embedKey) return;
  const bffOrigin = new URL(script.src, win.location.href).origin;
  // Tab-scoped, and used only when the widget has no storage of its own (it then sends a handle).
  const handleKey = `picasso:handle:${embedKey}`;

  const listeners: Record<string, PicassoListener[]> = { ready: [], message: [], error: [] };
  const early: unknown[][] = [];
  let frame: HTMLIFrameElement | undefined;
  let mounted = false;
  let open = false;
  let ready = false;
  let failed = false;
  let timer: number | undefined;
  let locked = false;
  let unlocked = '';

  const emit = (name: string, detail: Record<string, unknown>) => {
    for (const listener of listeners[name] || []) {
      try {
        listener(detail);
      } catch {
        // A host's listener must not break the widget.
      }
    }
  };
  // Before `ready` the frame may still show about:blank, whose origin a post would not match.
  // (No optional chaining in this file: the es2018 build spells it out at length.)
  const post = (type: string) => {
    const target = ready && frame && frame.contentWindow;
    if (target) target.postMessage({ source, v: 1, type }, bffOrigin);
  };

  const launcher = doc.createElement('button');
  launcher.type = 'button';
  launcher.setAttribute('data-testid', 'picasso-launcher');
  launcher.setAttribute('aria-controls', 'picasso-frame');
  css(launcher, {
    position: 'fixed',
    right: '20px',
    bottom: '20px',
    zIndex: '2147483000',
    width: '56px',
    height: '56px',
    padding: '0',
    border: '0',
    borderRadius: '50%',
    background: '#1f2937',
    color: '#fff',
    cursor: 'pointer',
    boxShadow: '0 4px 14px rgba(0,0,0,.3)',
  });
  const icon = doc.createElementNS(svgNs, 'svg');
  const path = doc.createElementNS(svgNs, 'path');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('width', '26');
  icon.setAttribute('height', '26');
  icon.setAttribute('aria-hidden', 'true');
  path.setAttribute('fill', 'currentColor');
  icon.appendChild(path);
  launcher.appendChild(icon);

  const render = () => {
    const narrow = win.innerWidth < narrowPx;
    launcher.setAttribute('aria-expanded', String(open));
    launcher.setAttribute('aria-label', failed ? 'Chat unavailable, try again' : open ? 'Close chat' : 'Open chat');
    path.setAttribute('d', failed ? icons.alert : open ? icons.close : icons.chat);
    // Full screen on phones: the widget has its own close button there.
    css(launcher, { display: open && narrow ? 'none' : 'block' });
    // A full-screen sheet must not let the page behind it scroll (iOS scrolls the body through
    // fixed elements); the page's own value comes back on close.
    const lock = open && narrow;
    if (lock !== locked) {
      if (lock) unlocked = doc.documentElement.style.overflow;
      css(doc.documentElement, { overflow: lock ? 'hidden' : unlocked });
      locked = lock;
    }
    if (!frame) return;
    frame.hidden = !open;
    // With the on-screen keyboard up only the visual viewport is visible: the sheet fits it.
    const vv = win.visualViewport;
    css(
      frame,
      narrow
        ? {
            display: open ? 'block' : 'none',
            top: vv ? `${vv.offsetTop}px` : '0',
            left: '0',
            right: '0',
            bottom: vv ? 'auto' : '0',
            width: '100%',
            height: vv ? `${vv.height}px` : '100%',
            borderRadius: '0',
          }
        : {
            display: open ? 'block' : 'none',
            top: 'auto',
            left: 'auto',
            right: '20px',
            bottom: '88px',
            width: '380px',
            height: 'min(640px, calc(100% - 108px))',
            borderRadius: '14px',
          },
    );
  };

  const load = () => {
    win.clearTimeout(timer);
    ready = false;
    failed = false;
    timer = win.setTimeout(() => {
      if (ready) return;
      failed = true;
      open = false;
      render();
      emit('error', { code: 'load_timeout' });
    }, options.readyTimeoutMs || 10_000);
    let handle: string | null = null;
    try {
      handle = win.sessionStorage.getItem(handleKey);
    } catch {
      // Storage blocked here too: the widget starts a new conversation.
    }
    // In the fragment: never sent to a server, never in a log.
    frame!.src = `${bffOrigin}/widget/?tenant=${encodeURIComponent(embedKey)}&host=${encodeURIComponent(win.location.origin)}${handle ? `#handle=${handle}` : ''}`;
  };

  // `fromWidget`: closed by the widget's own close button or Escape, so focus was inside it.
  const setOpen = (next: boolean, fromWidget?: boolean) => {
    if (next && !frame) {
      frame = doc.createElement('iframe');
      frame.id = 'picasso-frame';
      frame.title = 'Chat';
      frame.setAttribute('data-testid', 'picasso-frame');
      css(frame, { position: 'fixed', zIndex: '2147483001', border: '0', background: '#fff', boxShadow: '0 12px 40px rgba(0,0,0,.25)' });
      doc.body.appendChild(frame);
      load();
    } else if (next && failed) {
      load();
    }
    const hadFocus = frame && doc.activeElement === frame;
    open = next;
    render();
    if (open) {
      post('open');
      frame!.focus();
    } else {
      post('close');
      if (hadFocus || fromWidget) launcher.focus();
    }
  };

  const run = (command: unknown, name?: unknown, listener?: unknown) => {
    if (command === 'open' || command === 'close') setOpen(command === 'open');
    else if (command === 'toggle') setOpen(!open);
    else if (command === 'on' && typeof listener === 'function' && listeners[name as string]) {
      listeners[name as string]!.push(listener as PicassoListener);
      if (name === 'ready' && ready) (listener as PicassoListener)({});
    }
  };

  const api: PicassoCommand = (...args: unknown[]) => {
    if (mounted) run(...(args as [unknown, unknown, unknown]));
    else early.push(args);
  };
  api.loaded = 1;
  win.Picasso = api;
  for (const args of Array.from((stub && stub.q) || [])) early.push(Array.from(args));

  win.addEventListener('message', (event) => {
    const data = event.data;
    if (event.origin !== bffOrigin || !frame || event.source !== frame.contentWindow) return;
    if (!data || data.source !== source || data.v !== 1) return;
    if (data.type === 'ready') {
      ready = true;
      failed = false;
      win.clearTimeout(timer);
      const accent = data.theme && data.theme.accent;
      if (typeof accent === 'string' && /^#[0-9a-f]{6}$/i.test(accent)) css(launcher, { background: accent });
      render();
      if (open) post('open');
      emit('ready', {});
    } else if (data.type === 'close') {
      setOpen(false, true);
    } else if (data.type === 'message') {
      emit('message', { role: data.role, messageId: data.messageId, status: data.status });
    } else if (data.type === 'error') {
      emit('error', { code: String(data.code) });
    } else if (data.type === 'handle') {
      try {
        win.sessionStorage.setItem(handleKey, String(data.handle));
      } catch {
        // Storage blocked: the next page load starts a new conversation.
      }
    }
  });
  win.addEventListener('resize', render);
  const viewport = win.visualViewport;
  if (viewport) {
    viewport.addEventListener('resize', render);
    viewport.addEventListener('scroll', render);
  }

  const mount = () => {
    doc.body.appendChild(launcher);
    launcher.addEventListener('click', () => setOpen(!open));
    mounted = true;
    render();
    for (const args of early.splice(0)) run(...(args as [unknown, unknown, unknown]));
  };
  // Nothing is drawn unless the BFF says this tenant's widget may appear on this origin. A script
  // element, not fetch: the host's CSP already allows the BFF in script-src, maybe not in connect-src.
  const probe = doc.createElement('script');
  probe.crossOrigin = 'anonymous';
  probe.src = `${bffOrigin}/v1/tenants/${encodeURIComponent(embedKey)}`;
  probe.onload = probe.onerror = (event) => {
    probe.remove();
    if ((event as Event).type !== 'load') return;
    if (doc.body) mount();
    else doc.addEventListener('DOMContentLoaded', mount);
  };
  doc.head.appendChild(probe);
}
