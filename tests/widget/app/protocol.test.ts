import { describe, expect, it } from 'vitest';
import { makeParentBridge } from '../../../src/widget/app/bridge/parentBridge.js';
import { envelope, readHostMessage } from '../../../src/widget/app/bridge/protocol.js';
import { createLoader, type LoaderWindow } from '../../../src/widget/loader/createLoader.js';
import { bffOrigin, fakePage } from '../loader/fakeDom.js';

type Listener = (event: unknown) => void;

/** A frame window whose parent records what it is sent. */
function framedWindow() {
  const listeners: Listener[] = [];
  const posted: Array<{ message: unknown; targetOrigin: string }> = [];
  const parent = { postMessage: (message: unknown, targetOrigin: string) => posted.push({ message, targetOrigin }) };
  const win = {
    parent,
    addEventListener: (_type: string, listener: Listener) => listeners.push(listener),
    removeEventListener: (_type: string, listener: Listener) => listeners.splice(listeners.indexOf(listener), 1),
  };
  const deliver = (data: unknown, origin: string, source: unknown) => listeners.forEach((l) => l({ data, origin, source }));
  return { win: win as unknown as Window, parent, posted, deliver, listeners };
}

describe('postMessage protocol', () => {
  it('wraps every message in the versioned envelope', () => {
    expect(envelope({ type: 'close' })).toEqual({ source: 'picasso', v: 1, type: 'close' });
  });

  it('accepts only open and close of version 1 from the host', () => {
    expect(readHostMessage({ source: 'picasso', v: 1, type: 'open' })).toEqual({ type: 'open' });
    expect(readHostMessage({ source: 'picasso', v: 1, type: 'close', extra: 'x' })).toEqual({ type: 'close' });
    expect(readHostMessage({ source: 'picasso', v: 2, type: 'open' })).toBeNull();
    expect(readHostMessage({ source: 'other', v: 1, type: 'open' })).toBeNull();
    expect(readHostMessage({ source: 'picasso', v: 1, type: 'ready' })).toBeNull();
    expect(readHostMessage('open')).toBeNull();
  });

  it('is understood by the loader: the widget close message closes the frame', () => {
    const page = fakePage();
    createLoader(page.win as unknown as LoaderWindow, page.doc as unknown as Document);
    page.doc.answerProbe('load');
    (page.win.Picasso as (command: string) => void)('open');
    const frame = page.doc.frame;
    page.win.message(envelope({ type: 'ready', theme: {} }), bffOrigin, frame?.contentWindow);
    page.win.message(envelope({ type: 'close' }), bffOrigin, frame?.contentWindow);
    expect(frame?.style.display).toBe('none');
    expect(readHostMessage(frame?.posted.at(-1)?.message)).toEqual({ type: 'close' });
  });

  it('is understood by the loader: a handle the widget sends is kept in the host page\'s sessionStorage', () => {
    const page = fakePage();
    createLoader(page.win as unknown as LoaderWindow, page.doc as unknown as Document);
    page.doc.answerProbe('load');
    (page.win.Picasso as (command: string) => void)('open');
    page.win.message(envelope({ type: 'handle', handle: 'h.a.ndle' }), bffOrigin, page.doc.frame?.contentWindow);
    expect([...page.win.sessionStorage.items.values()]).toEqual(['h.a.ndle']);
  });
});

describe('makeParentBridge', () => {
  it('posts only to the verified host origin', () => {
    const frame = framedWindow();
    const bridge = makeParentBridge(frame.win, 'https://host.example', () => {});
    bridge.post({ type: 'close' });
    expect(frame.posted).toEqual([{ message: { source: 'picasso', v: 1, type: 'close' }, targetOrigin: 'https://host.example' }]);
  });

  it('accepts messages only from the host origin and the parent window itself', () => {
    const frame = framedWindow();
    const seen: unknown[] = [];
    makeParentBridge(frame.win, 'https://host.example', (message) => seen.push(message));
    const open = { source: 'picasso', v: 1, type: 'open' };
    frame.deliver(open, 'https://evil.example', frame.parent);
    frame.deliver(open, 'https://host.example', {});
    frame.deliver({ ...open, v: 9 }, 'https://host.example', frame.parent);
    expect(seen).toEqual([]);
    frame.deliver(open, 'https://host.example', frame.parent);
    expect(seen).toEqual([{ type: 'open' }]);
  });

  it('does nothing at all without a verified host', () => {
    const frame = framedWindow();
    const bridge = makeParentBridge(frame.win, null, () => {});
    bridge.post({ type: 'close' });
    expect(frame.posted).toEqual([]);
    expect(frame.listeners).toHaveLength(0);
  });

  it('stops listening when disposed', () => {
    const frame = framedWindow();
    const bridge = makeParentBridge(frame.win, 'https://host.example', () => {});
    expect(frame.listeners).toHaveLength(1);
    bridge.dispose();
    expect(frame.listeners).toHaveLength(0);
  });
});
