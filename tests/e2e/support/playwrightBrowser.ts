import type { BrowserContext, Frame, FrameLocator, Locator, Page } from '@playwright/test';
import { callExpression, type AttrFilter, DEFAULT_WAIT_MS, describeWait, FRAME_TEST_ID, testIdSelector, type E2EBrowser, type EngineName, type PageClock, type WaitOptions } from './e2eBrowser.js';

/**
 * The scenario driver on an engine Playwright drives itself (Chromium over CDP, Playwright's
 * WebKit). The widget iframe is found afresh on every call, so a reloaded or re-created
 * iframe never leaves a stale handle behind.
 */
export class PlaywrightBrowser implements E2EBrowser {
  readonly supportsOffline = true;
  readonly clock: PageClock;
  private inFrame = false;

  constructor(
    readonly engine: EngineName,
    private readonly context: BrowserContext,
    private readonly page: Page,
  ) {
    this.clock = { install: () => page.clock.install(), runFor: (ms) => page.clock.runFor(ms) };
  }

  async open(url: string): Promise<void> {
    this.inFrame = false;
    await this.page.goto(url, { waitUntil: 'load' });
  }

  async frame(): Promise<void> {
    await this.page.locator(testIdSelector(FRAME_TEST_ID)).waitFor({ state: 'attached', timeout: DEFAULT_WAIT_MS });
    this.inFrame = true;
  }

  async mainFrame(): Promise<void> {
    this.inFrame = false;
  }

  async click(testId: string): Promise<void> {
    await this.locate(testId).first().click({ timeout: DEFAULT_WAIT_MS });
  }

  async fill(testId: string, text: string): Promise<void> {
    await this.locate(testId).first().fill(text, { timeout: DEFAULT_WAIT_MS });
  }

  async waitForTestId(testId: string, options: WaitOptions = {}): Promise<void> {
    const locator = this.locate(testId, options);
    const timeout = options.timeoutMs ?? DEFAULT_WAIT_MS;
    const deadline = Date.now() + timeout;
    const want = options.count;
    for (;;) {
      const count = await locator.count();
      if (want === undefined ? count > 0 : count === want) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${describeWait(testId, options)} (found ${count})`);
      await this.page.waitForTimeout(50);
    }
  }

  async textsOf(testId: string, filter: AttrFilter = {}): Promise<string[]> {
    return this.locate(testId, filter).allTextContents();
  }

  async attr(testId: string, name: string, filter: AttrFilter = {}): Promise<string | null> {
    const locator = this.locate(testId, filter).first();
    if ((await locator.count()) === 0) return null;
    return locator.getAttribute(name);
  }

  async evaluate<R>(fn: string | ((...args: never[]) => R), ...args: unknown[]): Promise<R> {
    // Evaluated through the protocol, not with eval() in the page, so the widget's CSP applies
    // to the widget and not to the test.
    const target: Page | Frame = this.inFrame ? await this.currentFrame() : this.page;
    return (await target.evaluate(callExpression(fn, args))) as R;
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path });
  }

  async setViewport(width: number, height: number): Promise<void> {
    await this.page.setViewportSize({ width, height });
  }

  async setOffline(offline: boolean): Promise<void> {
    await this.context.setOffline(offline);
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  private scope(): Page | FrameLocator {
    return this.inFrame ? this.page.frameLocator(testIdSelector(FRAME_TEST_ID)) : this.page;
  }

  private locate(testId: string, filter: AttrFilter = {}): Locator {
    return this.scope().locator(testIdSelector(testId, filter));
  }

  private async currentFrame(): Promise<Frame> {
    const handle = await this.page.locator(testIdSelector(FRAME_TEST_ID)).first().elementHandle({ timeout: DEFAULT_WAIT_MS });
    const frame = await handle?.contentFrame();
    if (!frame) throw new Error('the widget iframe has no document');
    return frame;
  }
}
