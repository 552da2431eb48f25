import { expect, it } from 'vitest';
import { FakeEvents, FakeStorage, bffOrigin, embedKey, fakePage, type FakeDocument, type FakeWindow } from './fakeDom.js';

export type RunLoader = (win: FakeWindow, doc: FakeDocument) => void;

const widgetUrl = `${bffOrigin}/widget/?tenant=${embedKey}&host=${encodeURIComponent('https://host.example')}`;

type Api = (command: string, ...args: unknown[]) => void;
const picasso = (win: FakeWindow) => win.Picasso as Api;

/** Runs the loader on a fresh page and lets the BFF say yes to the tenant check. */
function loaded(run: RunLoader, options: Parameters<typeof fakePage>[0] = {}) {
  const page = fakePage(options);
  run(page.win, page.doc);
  page.doc.probe?.onload?.({ type: 'load' });
  return page;
}

function allowed(run: RunLoader, page: ReturnType<typeof fakePage>) {
  run(page.win, page.doc);
  page.doc.answerProbe('load');
  return page;
}

function ready(page: ReturnType<typeof fakePage>, theme: Record<string, unknown> = {}) {
  const frame = page.doc.frame;
  page.win.message({ source: 'picasso', v: 1, type: 'ready', theme }, bffOrigin, frame?.contentWindow);
}

/** Behaviour every build of the loader must have; run against the source and the minified file. */
export function loaderBehaviour(run: RunLoader): void {
  it('shows the launcher once the BFF allows the tenant here, closed and labelled, and creates no iframe yet', () => {
    const { doc } = loaded(run);
    const launcher = doc.launcher;
    expect(launcher?.tagName).toBe('BUTTON');
    expect(launcher?.getAttribute('aria-label')).toBe('Open chat');
    expect(launcher?.getAttribute('aria-expanded')).toBe('false');
    expect(launcher?.getAttribute('aria-controls')).toBe('picasso-frame');
    expect(launcher?.style.position).toBe('fixed');
    expect(doc.frame).toBeUndefined();
  });

  it('installs nothing on window but Picasso', () => {
    const page = fakePage();
    const before = new Set(Object.keys(page.win));
    allowed(run, page);
    const added = Object.keys(page.win).filter((key) => !before.has(key));
    expect(added).toEqual(['Picasso']);
  });

  it('opens an iframe on the BFF origin for this tenant and this host', () => {
    const page = loaded(run);
    picasso(page.win)('open');
    const frame = page.doc.frame;
    expect(frame?.src).toBe(widgetUrl);
    expect(frame?.id).toBe('picasso-frame');
    expect(frame?.title).not.toBe('');
    expect(frame?.hidden).toBe(false);
    expect(frame?.style.display).toBe('block');
    expect(page.doc.launcher?.getAttribute('aria-expanded')).toBe('true');
    expect(page.doc.launcher?.getAttribute('aria-label')).toBe('Close chat');
  });

  it('posts only to the exact BFF origin', () => {
    const page = loaded(run);
    picasso(page.win)('open');
    ready(page);
    picasso(page.win)('close');
    const posted = page.doc.frame?.posted ?? [];
    expect(posted.length).toBeGreaterThan(0);
    expect(posted.every((p) => p.targetOrigin === bffOrigin)).toBe(true);
    expect(posted.map((p) => p.message)).toContainEqual({ source: 'picasso', v: 1, type: 'close' });
    expect(posted.map((p) => p.message)).toContainEqual({ source: 'picasso', v: 1, type: 'open' });
  });

  it('runs commands queued by the snippet stub before it loaded, then replaces the stub', () => {
    const page = fakePage();
    const queue: unknown[][] = [];
    const stub = Object.assign((...args: unknown[]) => queue.push(args), { q: queue });
    const seen: unknown[] = [];
    stub('on', 'ready', () => seen.push('ready'));
    stub('open');
    page.win.Picasso = stub;
    allowed(run, page);
    expect(page.win.Picasso).not.toBe(stub);
    expect(page.doc.frame?.style.display).toBe('block');
    ready(page);
    expect(seen).toEqual(['ready']);
  });

  it('does nothing when included a second time', () => {
    const page = loaded(run);
    const first = page.win.Picasso;
    run(page.win, page.doc);
    expect(page.doc.probe).toBeUndefined();
    expect(page.win.Picasso).toBe(first);
    expect(page.doc.body?.children.filter((c) => c.getAttribute('data-testid') === 'picasso-launcher')).toHaveLength(1);
  });

  it('finds its script by selector when currentScript is not available', () => {
    const page = loaded(run, { current: false });
    picasso(page.win)('open');
    expect(page.doc.frame?.src).toBe(widgetUrl);
  });

  it('does nothing without a data-tenant', () => {
    const page = loaded(run, { tenant: null });
    expect(page.doc.probe).toBeUndefined();
    expect(page.doc.launcher).toBeUndefined();
    expect(page.win.Picasso).toBeUndefined();
  });

  it('waits for the body when it runs before the document is parsed', () => {
    const page = loaded(run, { body: false });
    picasso(page.win)('open');
    expect(page.doc.launcher).toBeUndefined();
    page.doc.finishParsing();
    expect(page.doc.launcher).toBeDefined();
    expect(page.doc.frame?.style.display).toBe('block');
  });

  it('toggles, and hides the iframe when closed', () => {
    const page = loaded(run);
    picasso(page.win)('toggle');
    expect(page.doc.frame?.style.display).toBe('block');
    picasso(page.win)('toggle');
    expect(page.doc.frame?.style.display).toBe('none');
    expect(page.doc.frame?.hidden).toBe(true);
    page.doc.launcher?.click();
    expect(page.doc.frame?.style.display).toBe('block');
  });

  it('tells ready listeners once the iframe is ready, late subscribers at once, and takes the accent', () => {
    const page = loaded(run);
    const seen: string[] = [];
    picasso(page.win)('on', 'ready', () => seen.push('early'));
    picasso(page.win)('open');
    ready(page, { accent: '#0b6e4f' });
    picasso(page.win)('on', 'ready', () => seen.push('late'));
    expect(seen).toEqual(['early', 'late']);
    expect(page.doc.launcher?.style.background).toBe('#0b6e4f');
  });

  it('ignores messages from another origin, another window, or of another shape', () => {
    const page = loaded(run);
    const seen: string[] = [];
    picasso(page.win)('on', 'ready', () => seen.push('ready'));
    picasso(page.win)('open');
    const frameWindow = page.doc.frame?.contentWindow;
    page.win.message({ source: 'picasso', v: 1, type: 'ready' }, 'https://evil.example', frameWindow);
    page.win.message({ source: 'picasso', v: 1, type: 'ready' }, bffOrigin, {});
    page.win.message({ source: 'picasso', v: 2, type: 'ready' }, bffOrigin, frameWindow);
    page.win.message({ source: 'other', v: 1, type: 'ready' }, bffOrigin, frameWindow);
    page.win.message('ready', bffOrigin, frameWindow);
    page.win.message({ source: 'picasso', v: 1, type: 'close' }, 'https://evil.example', frameWindow);
    expect(seen).toEqual([]);
    expect(page.doc.frame?.style.display).toBe('block');
  });

  it('closes when the widget asks to, returning focus to the launcher', () => {
    const page = loaded(run);
    picasso(page.win)('open');
    expect(page.doc.activeElement).toBe(page.doc.frame);
    page.win.message({ source: 'picasso', v: 1, type: 'close' }, bffOrigin, page.doc.frame?.contentWindow);
    expect(page.doc.frame?.style.display).toBe('none');
    expect(page.doc.activeElement).toBe(page.doc.launcher);
  });

  it('returns focus to the launcher when the widget closes itself even if the browser did not report the frame as focused', () => {
    const page = loaded(run);
    picasso(page.win)('open');
    page.doc.activeElement = null;
    page.win.message({ source: 'picasso', v: 1, type: 'close' }, bffOrigin, page.doc.frame?.contentWindow);
    expect(page.doc.activeElement).toBe(page.doc.launcher);
  });

  it('passes message metadata to the host, and never any text', () => {
    const page = loaded(run);
    const seen: unknown[] = [];
    picasso(page.win)('on', 'message', (detail: unknown) => seen.push(detail));
    picasso(page.win)('open');
    page.win.message(
      { source: 'picasso', v: 1, type: 'message', role: 'assistant', messageId: 'm-1', status: 'complete', text: 'secret' },
      bffOrigin,
      page.doc.frame?.contentWindow,
    );
    expect(seen).toEqual([{ role: 'assistant', messageId: 'm-1', status: 'complete' }]);
  });

  it('passes widget errors to the host as codes', () => {
    const page = loaded(run);
    const seen: unknown[] = [];
    picasso(page.win)('on', 'error', (detail: unknown) => seen.push(detail));
    picasso(page.win)('open');
    page.win.message({ source: 'picasso', v: 1, type: 'error', code: 'session_failed' }, bffOrigin, page.doc.frame?.contentWindow);
    expect(seen).toEqual([{ code: 'session_failed' }]);
  });

  it('keeps working when a host listener throws', () => {
    const page = loaded(run);
    const seen: string[] = [];
    picasso(page.win)('on', 'ready', () => {
      throw new Error('host bug');
    });
    picasso(page.win)('on', 'ready', () => seen.push('second'));
    picasso(page.win)('open');
    ready(page);
    expect(seen).toEqual(['second']);
  });

  it('reports load_timeout and shows a fallback when the iframe never gets ready, then retries on click', () => {
    const page = loaded(run);
    const errors: unknown[] = [];
    picasso(page.win)('on', 'error', (detail: unknown) => errors.push(detail));
    picasso(page.win)('open');
    page.win.advance(9_999);
    expect(errors).toEqual([]);
    page.win.advance(1);
    expect(errors).toEqual([{ code: 'load_timeout' }]);
    expect(page.doc.frame?.style.display).toBe('none');
    expect(page.doc.launcher?.getAttribute('aria-label')).toBe('Chat unavailable, try again');
    page.doc.frame!.src = 'about:blank';
    page.doc.launcher?.click();
    expect(page.doc.frame?.src).toBe(widgetUrl);
    expect(page.doc.frame?.style.display).toBe('block');
    ready(page);
    page.win.advance(20_000);
    expect(errors).toHaveLength(1);
    expect(page.doc.launcher?.getAttribute('aria-label')).toBe('Close chat');
  });

  it('does not time out once the iframe said ready', () => {
    const page = loaded(run);
    const errors: unknown[] = [];
    picasso(page.win)('on', 'error', (detail: unknown) => errors.push(detail));
    picasso(page.win)('open');
    ready(page);
    page.win.advance(60_000);
    expect(errors).toEqual([]);
  });

  it('covers the whole screen on narrow viewports and hides the launcher while open', () => {
    const page = fakePage();
    page.win.innerWidth = 390;
    allowed(run, page);
    picasso(page.win)('open');
    const frame = page.doc.frame;
    expect(frame?.style).toMatchObject({ top: '0', left: '0', right: '0', bottom: '0', width: '100%', height: '100%' });
    expect(page.doc.launcher?.style.display).toBe('none');
    page.win.innerWidth = 1280;
    page.win.dispatch('resize');
    expect(frame?.style.width).toBe('380px');
    expect(page.doc.launcher?.style.display).toBe('block');
  });

  it('locks the host page scroll while the full-screen sheet is open and gives the page its value back on close', () => {
    const page = fakePage();
    page.win.innerWidth = 390;
    page.doc.documentElement.style.overflow = 'scroll';
    allowed(run, page);
    picasso(page.win)('open');
    expect(page.doc.documentElement.style.overflow).toBe('hidden');
    picasso(page.win)('close');
    expect(page.doc.documentElement.style.overflow).toBe('scroll');
    page.win.innerWidth = 1280;
    picasso(page.win)('open');
    expect(page.doc.documentElement.style.overflow).toBe('scroll');
  });

  it('fits the sheet to the visual viewport when the on-screen keyboard shrinks it', () => {
    const page = fakePage();
    page.win.innerWidth = 390;
    const viewport = Object.assign(new FakeEvents(), { height: 844, offsetTop: 0 });
    page.win.visualViewport = viewport;
    allowed(run, page);
    picasso(page.win)('open');
    expect(page.doc.frame?.style).toMatchObject({ top: '0px', height: '844px' });
    viewport.height = 500;
    viewport.offsetTop = 120;
    viewport.dispatch('resize');
    expect(page.doc.frame?.style).toMatchObject({ top: '120px', height: '500px' });
  });

  it('asks the BFF whether the tenant may appear on this page before drawing anything, as a CORS script', () => {
    const page = fakePage();
    run(page.win, page.doc);
    const probe = page.doc.probe;
    expect(probe?.src).toBe(`${bffOrigin}/v1/tenants/${embedKey}`);
    expect(probe?.crossOrigin).toBe('anonymous');
    expect(page.doc.launcher).toBeUndefined();
    picasso(page.win)('open');
    expect(page.doc.frame).toBeUndefined();
    page.doc.answerProbe('load');
    expect(page.doc.probe).toBeUndefined();
    expect(page.doc.launcher).toBeDefined();
    expect(page.doc.frame?.style.display).toBe('block');
  });

  it('draws nothing when the BFF refuses the tenant here (unknown, disabled, origin not allowed), and commands do nothing', () => {
    const page = fakePage();
    const seen: string[] = [];
    run(page.win, page.doc);
    picasso(page.win)('on', 'ready', () => seen.push('ready'));
    picasso(page.win)('on', 'error', () => seen.push('error'));
    page.doc.answerProbe('error');
    picasso(page.win)('open');
    picasso(page.win)('toggle');
    expect(page.doc.probe).toBeUndefined();
    expect(page.doc.launcher).toBeUndefined();
    expect(page.doc.frame).toBeUndefined();
    expect(page.doc.body?.children).toEqual([]);
    page.win.advance(60_000);
    expect(seen).toEqual([]);
  });

  it('shows the launcher only once the body exists when the tenant check answers first', () => {
    const page = fakePage({ body: false });
    run(page.win, page.doc);
    page.doc.answerProbe('load');
    expect(page.doc.launcher).toBeUndefined();
    page.doc.finishParsing();
    expect(page.doc.launcher).toBeDefined();
  });

  it('keeps the session handle the widget sends in sessionStorage and gives it back in the iframe URL fragment on the next page', () => {
    const storage = new FakeStorage();
    const first = loaded(run, { storage });
    picasso(first.win)('open');
    expect(first.doc.frame?.src).toBe(widgetUrl);
    first.win.message({ source: 'picasso', v: 1, type: 'handle', handle: 'aaa.bbb.ccc' }, bffOrigin, first.doc.frame?.contentWindow);
    expect([...storage.items]).toEqual([[`picasso:handle:${embedKey}`, 'aaa.bbb.ccc']]);

    const next = loaded(run, { storage });
    picasso(next.win)('open');
    expect(next.doc.frame?.src).toBe(`${widgetUrl}#handle=aaa.bbb.ccc`);
    expect(new URL(next.doc.frame?.src ?? '').search).not.toContain('aaa.bbb.ccc');
  });

  it('takes a handle only from the widget: not from another origin, another window or another protocol version', () => {
    const storage = new FakeStorage();
    const page = loaded(run, { storage });
    picasso(page.win)('open');
    const frameWindow = page.doc.frame?.contentWindow;
    page.win.message({ source: 'picasso', v: 1, type: 'handle', handle: 'x.y.z' }, 'https://host.example', frameWindow);
    page.win.message({ source: 'picasso', v: 1, type: 'handle', handle: 'x.y.z' }, bffOrigin, {});
    page.win.message({ source: 'picasso', v: 2, type: 'handle', handle: 'x.y.z' }, bffOrigin, frameWindow);
    expect(storage.items.size).toBe(0);
  });

  it('works without a handle when the host page\'s sessionStorage is blocked too', () => {
    const storage = new FakeStorage();
    storage.blocked = true;
    const page = loaded(run, { storage });
    picasso(page.win)('open');
    expect(page.doc.frame?.src).toBe(widgetUrl);
    page.win.message({ source: 'picasso', v: 1, type: 'handle', handle: 'aaa.bbb.ccc' }, bffOrigin, page.doc.frame?.contentWindow);
    ready(page);
    expect(page.doc.launcher?.getAttribute('aria-label')).toBe('Close chat');
  });

  it('keeps handles of different tenants apart', () => {
    const storage = new FakeStorage();
    storage.setItem('picasso:handle:pk_other_tenant_1', 'o.t.h');
    const page = loaded(run, { storage });
    picasso(page.win)('open');
    expect(page.doc.frame?.src).toBe(widgetUrl);
  });
}
