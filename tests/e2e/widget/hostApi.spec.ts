import { expect, test } from '../support/fixtures.js';
import { focusCalls, openWidget, recordFocusCalls, sendAndAwaitReply, settle } from './widgetSteps.js';

type Recorded = Array<{ name: string; detail: Record<string, unknown> }>;

const recorded = () => (window as unknown as { __picassoEvents?: Recorded }).__picassoEvents ?? [];

test.describe('loader and host page API', () => {
  test('a second copy of loader.js changes nothing and window.Picasso is the only global', async ({ browserUnderTest: browser, stack }) => {
    await openWidget(browser, stack);
    await browser.mainFrame();
    await browser.evaluate(() => {
      const first = document.querySelector('script[data-tenant]') as HTMLScriptElement;
      const again = document.createElement('script');
      again.src = first.src;
      again.setAttribute('data-tenant', first.getAttribute('data-tenant') ?? '');
      document.body.appendChild(again);
    });
    await settle(800);
    const page = await browser.evaluate(() => ({
      launchers: document.querySelectorAll('[data-testid="picasso-launcher"]').length,
      frames: document.querySelectorAll('[data-testid="picasso-frame"]').length,
      globals: Object.keys(window).filter((key) => /picasso/i.test(key)),
    }));
    expect(page).toEqual({ launchers: 1, frames: 1, globals: ['Picasso'] });
  });

  test('open, close, toggle and the ready and message listeners work; forged messages from the host page are ignored', async ({ browserUnderTest: browser, stack }) => {
    await browser.open(stack.hostUrl);
    await browser.evaluate(() => {
      const events: Array<{ name: string; detail: Record<string, unknown> }> = [];
      (window as unknown as { __picassoEvents: typeof events }).__picassoEvents = events;
      const picasso = (window as unknown as { Picasso: (...args: unknown[]) => void }).Picasso;
      for (const name of ['ready', 'message', 'error']) picasso('on', name, (detail: Record<string, unknown>) => events.push({ name, detail }));
      picasso('toggle');
    });
    await expect.poll(() => browser.evaluate(recorded)).toEqual([{ name: 'ready', detail: {} }]);
    expect(await browser.attr('picasso-launcher', 'aria-expanded')).toBe('true');

    // Same shape, wrong sender: from the host page itself, not from the widget's origin and window.
    await browser.evaluate(() => {
      window.postMessage({ source: 'picasso', v: 1, type: 'message', role: 'assistant', messageId: 'forged', status: 'complete' }, '*');
      window.postMessage({ source: 'picasso', v: 1, type: 'close' }, '*');
      window.postMessage({ source: 'picasso', v: 1, type: 'error', code: 'forged' }, '*');
    });
    await settle();
    expect(await browser.evaluate(recorded)).toEqual([{ name: 'ready', detail: {} }]);
    expect(await browser.attr('picasso-launcher', 'aria-expanded')).toBe('true');

    await browser.frame();
    await browser.waitForTestId('picasso-connection', { attr: 'data-state', value: 'ready' });
    expect((await browser.evaluate(() => document.querySelector('h1')?.textContent)) ?? '').toBe('E2E Clinic');
    await sendAndAwaitReply(browser, `Do you have evening hours? (${browser.engine})`, 1);
    await browser.mainFrame();
    await expect
      .poll(async () => (await browser.evaluate(recorded)).filter((e) => e.name === 'message').map((e) => [e.detail.role, e.detail.status]))
      .toEqual([
        ['user', 'complete'],
        ['assistant', 'complete'],
      ]);

    await browser.evaluate(() => (window as unknown as { Picasso: (c: string) => void }).Picasso('close'));
    expect(await browser.attr('picasso-launcher', 'aria-expanded')).toBe('false');
    await browser.evaluate(() => (window as unknown as { Picasso: (c: string) => void }).Picasso('open'));
    expect(await browser.attr('picasso-launcher', 'aria-expanded')).toBe('true');
  });

  test('the widget ignores messages that are not from its host page window or not of protocol version 1', async ({ browserUnderTest: browser, stack }) => {
    await openWidget(browser, stack);
    await recordFocusCalls(browser);
    // From the widget's own window (another origin than the host, and not the parent).
    await browser.evaluate(() => window.postMessage({ source: 'picasso', v: 1, type: 'open' }, '*'));
    await settle();
    expect(await focusCalls(browser)).toEqual([]);
    // From the real host page window, but with another protocol version, or another source tag.
    await browser.mainFrame();
    await browser.evaluate(() => {
      const frame = document.querySelector('[data-testid="picasso-frame"]') as HTMLIFrameElement;
      const origin = new URL(frame.src).origin;
      frame.contentWindow?.postMessage({ source: 'picasso', v: 2, type: 'open' }, origin);
      frame.contentWindow?.postMessage({ source: 'other', v: 1, type: 'open' }, origin);
      frame.contentWindow?.postMessage('open', origin);
    });
    await browser.frame();
    await settle();
    expect(await focusCalls(browser)).toEqual([]);
    // The genuine command through the loader does reach it: the composer takes the focus.
    await browser.mainFrame();
    await browser.evaluate(() => (window as unknown as { Picasso: (c: string) => void }).Picasso('open'));
    await browser.frame();
    await expect.poll(() => focusCalls(browser)).toEqual(['picasso-composer-input']);
  });
});
