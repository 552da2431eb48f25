/**
 * Just enough of a DOM for the loader, which is a pure function of (win, doc).
 * It refuses what a strict host CSP would refuse: style attributes and <style>.
 */
type Listener = (event: Record<string, unknown>) => void;

export class FakeEvents {
  readonly listeners = new Map<string, Listener[]>();
  addEventListener(type: string, listener: Listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  removeEventListener(type: string, listener: Listener) {
    this.listeners.set(type, (this.listeners.get(type) ?? []).filter((l) => l !== listener));
  }
  dispatch(type: string, event: Record<string, unknown> = {}) {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

export interface Posted {
  message: unknown;
  targetOrigin: string;
}

export class FakeElement extends FakeEvents {
  readonly attributes = new Map<string, string>();
  readonly children: FakeElement[] = [];
  readonly style: Record<string, string> = {};
  id = '';
  title = '';
  type = '';
  src = '';
  crossOrigin: string | null = null;
  hidden = false;
  parent: FakeElement | null = null;
  onload: ((event: { type: string }) => void) | null = null;
  onerror: ((event: { type: string }) => void) | null = null;
  /** Every postMessage to this element's window (iframes only). */
  readonly posted: Posted[] = [];
  readonly contentWindow: { postMessage: (message: unknown, targetOrigin: string) => void } | null;

  constructor(
    readonly tagName: string,
    private readonly doc: FakeDocument,
  ) {
    super();
    this.contentWindow =
      tagName === 'IFRAME' ? { postMessage: (message, targetOrigin) => this.posted.push({ message, targetOrigin }) } : null;
  }
  setAttribute(name: string, value: string) {
    if (name === 'style') throw new Error('style attributes are blocked by a strict CSP');
    this.attributes.set(name, String(value));
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  appendChild(child: FakeElement) {
    this.children.push(child);
    child.parent = this;
    return child;
  }
  remove() {
    if (!this.parent) return;
    this.parent.children.splice(this.parent.children.indexOf(this), 1);
    this.parent = null;
  }
  focus() {
    this.doc.activeElement = this;
  }
  click() {
    this.dispatch('click', {});
  }
}

export class FakeDocument extends FakeEvents {
  body: FakeElement | null;
  readonly head: FakeElement;
  readonly documentElement: FakeElement;
  activeElement: FakeElement | null = null;
  currentScript: FakeElement | null;
  readonly scripts: FakeElement[] = [];
  readonly created: FakeElement[] = [];

  constructor(options: { script?: { src: string; tenant?: string }; current?: boolean; body?: boolean }) {
    super();
    this.body = options.body === false ? null : new FakeElement('BODY', this);
    this.documentElement = new FakeElement('HTML', this);
    this.head = this.documentElement.appendChild(new FakeElement('HEAD', this));
    const script = new FakeElement('SCRIPT', this);
    if (options.script) {
      script.src = options.script.src;
      if (options.script.tenant !== undefined) script.setAttribute('data-tenant', options.script.tenant);
      this.scripts.push(script);
    }
    this.currentScript = options.current === false || !options.script ? null : script;
  }
  createElement(tag: string) {
    if (tag.toLowerCase() === 'style') throw new Error('<style> elements are blocked by a strict CSP');
    const element = new FakeElement(tag.toUpperCase(), this);
    this.created.push(element);
    return element;
  }
  createElementNS(_ns: string, tag: string) {
    return this.createElement(tag);
  }
  querySelector(selector: string) {
    if (selector !== 'script[data-tenant][src$="/loader.js"]') return null;
    return this.scripts.find((s) => s.getAttribute('data-tenant') !== null && s.src.endsWith('/loader.js')) ?? null;
  }
  /** Makes the body appear, as the parser does before DOMContentLoaded. */
  finishParsing() {
    this.body = new FakeElement('BODY', this);
    this.dispatch('DOMContentLoaded');
  }
  /** The tenant check the loader appended to <head>, while it is there. */
  get probe(): FakeElement | undefined {
    return this.head.children.find((c) => c.tagName === 'SCRIPT');
  }
  /** Answers the tenant check as the browser would: `load` for a 2xx script, `error` otherwise. */
  answerProbe(outcome: 'load' | 'error') {
    const probe = this.probe;
    if (!probe) throw new Error('the loader has not asked whether the tenant may appear');
    (outcome === 'load' ? probe.onload : probe.onerror)?.({ type: outcome });
  }
  get launcher(): FakeElement | undefined {
    return this.body?.children.find((c) => c.getAttribute('data-testid') === 'picasso-launcher');
  }
  get frame(): FakeElement | undefined {
    return this.body?.children.find((c) => c.getAttribute('data-testid') === 'picasso-frame');
  }
}

/** The host page's sessionStorage; `blocked` makes every access throw, as a SecurityError would. */
export class FakeStorage {
  readonly items = new Map<string, string>();
  blocked = false;
  getItem(key: string): string | null {
    if (this.blocked) throw new Error('SecurityError');
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.blocked) throw new Error('SecurityError');
    this.items.set(key, String(value));
  }
}

export class FakeWindow extends FakeEvents {
  declare Picasso?: unknown;
  sessionStorage = new FakeStorage();
  innerWidth = 1280;
  /** Set to emulate a browser with the Visual Viewport API (the on-screen keyboard shrinks it). */
  visualViewport: (FakeEvents & { height: number; offsetTop: number }) | undefined;
  readonly location = { href: 'https://host.example/page', origin: 'https://host.example' };
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextTimer = 1;
  private now = 0;

  setTimeout(fn: () => void, ms: number) {
    const id = this.nextTimer++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(id: number | undefined) {
    if (id !== undefined) this.timers.delete(id);
  }
  advance(ms: number) {
    this.now += ms;
    for (const [id, timer] of [...this.timers]) {
      if (timer.at <= this.now) {
        this.timers.delete(id);
        timer.fn();
      }
    }
  }
  /** Delivers a postMessage event as the browser would. */
  message(data: unknown, origin: string, source: unknown) {
    this.dispatch('message', { data, origin, source });
  }
}

export const bffOrigin = 'https://bff.example';
export const embedKey = 'pk_acme_demo_7f3c9a';

export function fakePage(options: { current?: boolean; tenant?: string | null; body?: boolean; storage?: FakeStorage } = {}) {
  const win = new FakeWindow();
  if (options.storage) win.sessionStorage = options.storage;
  const doc = new FakeDocument({
    script: { src: `${bffOrigin}/loader.js`, ...(options.tenant === null ? {} : { tenant: options.tenant ?? embedKey }) },
    ...(options.current === undefined ? {} : { current: options.current }),
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return { win, doc };
}
