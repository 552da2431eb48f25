import { writeFile } from 'node:fs/promises';
import { By, type WebDriver, type WebElement } from 'selenium-webdriver';
import { callExpression, type AttrFilter, DEFAULT_WAIT_MS, describeWait, FRAME_TEST_ID, testIdSelector, UnsupportedByEngine, type E2EBrowser, type EngineName, type WaitOptions } from './e2eBrowser.js';

const POLL_MS = 50;

/**
 * The scenario driver over W3C WebDriver (WebKitGTK's MiniBrowser through WebKitWebDriver).
 * WebDriver keeps one current browsing context, so entering the widget switches into the
 * iframe by its element, and every top-level action switches back first.
 */
export class WebDriverBrowser implements E2EBrowser {
  readonly supportsOffline = false;
  private inFrame = false;

  constructor(
    readonly engine: EngineName,
    private readonly driver: WebDriver,
  ) {}

  async open(url: string): Promise<void> {
    await this.driver.switchTo().defaultContent();
    this.inFrame = false;
    await this.driver.get(url);
  }

  async frame(): Promise<void> {
    await this.driver.switchTo().defaultContent();
    const frame = await this.waitForElement(testIdSelector(FRAME_TEST_ID), `the widget iframe`);
    await this.driver.switchTo().frame(frame);
    this.inFrame = true;
  }

  async mainFrame(): Promise<void> {
    await this.driver.switchTo().defaultContent();
    this.inFrame = false;
  }

  async click(testId: string): Promise<void> {
    const element = await this.waitForElement(testIdSelector(testId), testId);
    await this.untilEnabled(element, testId);
    await element.click();
  }

  async fill(testId: string, text: string): Promise<void> {
    const element = await this.waitForElement(testIdSelector(testId), testId);
    // WebKit refuses script focus inside a cross-origin iframe that has had no user gesture;
    // a real click gives the frame one, as a person's tap would.
    await element.click();
    await element.clear();
    await element.sendKeys(text);
  }

  async waitForTestId(testId: string, options: WaitOptions = {}): Promise<void> {
    const selector = testIdSelector(testId, options);
    const timeout = options.timeoutMs ?? DEFAULT_WAIT_MS;
    const deadline = Date.now() + timeout;
    for (;;) {
      const count = await this.countNow(selector);
      if (options.count === undefined ? count > 0 : count === options.count) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${describeWait(testId, options)} (found ${count})`);
      await this.driver.sleep(POLL_MS);
    }
  }

  /**
   * WebKitGTK's driver can fail a find while the page replaces the nodes it matched
   * (StaleElementReferenceError); a poll then just counts nothing and tries again.
   */
  private async countNow(selector: string): Promise<number> {
    try {
      return (await this.driver.findElements(By.css(selector))).length;
    } catch (error) {
      if (error instanceof Error && error.name === 'StaleElementReferenceError') return -1;
      throw error;
    }
  }

  async textsOf(testId: string, filter: AttrFilter = {}): Promise<string[]> {
    // textContent, not WebDriver's rendered text, so both drivers report the same string.
    return this.driver.executeScript<string[]>(
      'return Array.from(document.querySelectorAll(arguments[0]), (element) => element.textContent || "")',
      testIdSelector(testId, filter),
    );
  }

  async attr(testId: string, name: string, filter: AttrFilter = {}): Promise<string | null> {
    return this.driver.executeScript<string | null>(
      'const element = document.querySelector(arguments[0]); return element ? element.getAttribute(arguments[1]) : null',
      testIdSelector(testId, filter),
      name,
    );
  }

  async evaluate<R>(fn: string | ((...args: never[]) => R), ...args: unknown[]): Promise<R> {
    // The returned promise (if any) is awaited by the WebDriver endpoint, as the spec requires.
    return this.driver.executeScript<R>(`return ${callExpression(fn, args)};`);
  }

  async screenshot(path: string): Promise<void> {
    await this.nextPaint();
    await writeFile(path, Buffer.from(await this.driver.takeScreenshot(), 'base64'));
  }

  async setViewport(width: number, height: number): Promise<void> {
    // WebDriver sizes the window, not the viewport, and the page learns of a resize a little
    // later. So: resize, wait until the page sees the new window size, correct by the measured
    // difference between window and viewport, and repeat until the viewport is exact.
    const window = this.driver.manage().window();
    let target = { width, height };
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await window.setRect(target);
      const rect = await window.getRect();
      const [innerWidth, innerHeight] = await this.topLevel(() => this.settledViewport(rect.width, rect.height));
      if (innerWidth === width && innerHeight === height) return;
      target = { width: rect.width + width - innerWidth, height: rect.height + height - innerHeight };
    }
    throw new Error(`could not size the viewport to ${width}x${height}`);
  }

  /** The viewport size once the page reports the given outer window size (or after 2 s). */
  private async settledViewport(outerWidth: number, outerHeight: number): Promise<[number, number]> {
    const deadline = Date.now() + 2_000;
    for (;;) {
      await this.nextPaint();
      const [outerW, outerH, innerW, innerH] = await this.driver.executeScript<number[]>(
        'return [window.outerWidth, window.outerHeight, window.innerWidth, window.innerHeight]',
      );
      if ((outerW === outerWidth && outerH === outerHeight) || Date.now() > deadline) return [innerW ?? 0, innerH ?? 0];
    }
  }

  async setOffline(): Promise<void> {
    throw new UnsupportedByEngine(this.engine, 'setOffline', 'cut the network with the fault proxy (block/stall) instead');
  }

  async close(): Promise<void> {
    await this.driver.quit();
  }

  /** Resolves after two animation frames, so a resize or an update is painted. */
  private async nextPaint(): Promise<void> {
    await this.driver.executeAsyncScript('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));');
  }

  private async topLevel<T>(action: () => Promise<T>): Promise<T> {
    if (!this.inFrame) return action();
    await this.driver.switchTo().defaultContent();
    try {
      return await action();
    } finally {
      await this.frame();
    }
  }

  private async waitForElement(selector: string, what: string): Promise<WebElement> {
    const deadline = Date.now() + DEFAULT_WAIT_MS;
    for (;;) {
      const [element] = await this.driver.findElements(By.css(selector));
      if (element && (await element.isDisplayed())) return element;
      if (Date.now() > deadline) throw new Error(`timed out after ${DEFAULT_WAIT_MS} ms waiting for ${what} to be displayed`);
      await this.driver.sleep(POLL_MS);
    }
  }

  private async untilEnabled(element: WebElement, what: string): Promise<void> {
    const deadline = Date.now() + DEFAULT_WAIT_MS;
    while (!(await element.isEnabled())) {
      if (Date.now() > deadline) throw new Error(`timed out after ${DEFAULT_WAIT_MS} ms waiting for ${what} to be enabled`);
      await this.driver.sleep(POLL_MS);
    }
  }
}
