import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '../support/fixtures.js';
import { openWidget, sendAndAwaitReply } from './widgetSteps.js';

const SHOTS = path.resolve(import.meta.dirname, '../../../docs/screenshots');

for (const [label, width, height] of [
  ['phone', 390, 844],
  ['desktop', 1280, 800],
] as const) {
  test(`the widget at ${width}x${height} (${label}) is captured for docs/screenshots`, async ({ browserUnderTest: browser, stack }) => {
    await browser.setViewport(width, height);
    await openWidget(browser, stack);
    await sendAndAwaitReply(browser, 'Can I book a flu vaccination?', 1);
    const metrics = await browser.evaluate(() => {
      const input = document.querySelector('[data-testid="picasso-composer-input"]') as HTMLElement;
      return { inputFontPx: parseFloat(getComputedStyle(input).fontSize), overscroll: getComputedStyle(document.querySelector('.messages')!).overscrollBehaviorY };
    });
    // iOS zooms into inputs under 16 px; the transcript must not scroll the host page when it ends.
    expect(metrics.inputFontPx).toBeGreaterThanOrEqual(16);
    expect(metrics.overscroll).toBe('contain');
    await browser.mainFrame();
    const page = await browser.evaluate(() => {
      const rect = document.querySelector('[data-testid="picasso-frame"]')!.getBoundingClientRect();
      return { width: rect.width, height: rect.height, overflow: getComputedStyle(document.documentElement).overflow };
    });
    if (label === 'phone') {
      expect(page).toEqual({ width, height, overflow: 'hidden' });
    } else {
      expect(page.width).toBe(380);
      expect(page.overflow).not.toBe('hidden');
    }
    mkdirSync(SHOTS, { recursive: true });
    await browser.screenshot(path.join(SHOTS, `${label}-${width}x${height}-${browser.engine}.png`));
  });
}
