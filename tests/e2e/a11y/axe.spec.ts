import { expect, test } from '../support/fixtures.js';
import { axeViolations, focusCalls, openWidget, recordFocusCalls, sendAndAwaitReply } from '../widget/widgetSteps.js';

test.describe('accessibility (WCAG 2.2 A/AA rules of axe-core)', () => {
  test('the host page with the open widget, and the widget with a conversation, have no axe violations', async ({ browserUnderTest: browser, stack }) => {
    await openWidget(browser, stack);
    await sendAndAwaitReply(browser, `Which documents should I bring? (${browser.engine})`, 1);
    expect(await axeViolations(browser)).toEqual([]);
    await browser.mainFrame();
    expect(await axeViolations(browser)).toEqual([]);
  });

  test('the data panel with its clear confirmation has no axe violations', async ({ browserUnderTest: browser, stack }) => {
    await openWidget(browser, stack);
    await browser.click('picasso-clear');
    await browser.waitForTestId('picasso-clear-confirm');
    expect(await axeViolations(browser)).toEqual([]);
  });

  test('opening moves focus into the composer; Escape closes the widget and focus returns to the launcher', async ({ browserUnderTest: browser, stack }) => {
    await openWidget(browser, stack);
    await recordFocusCalls(browser);
    await browser.mainFrame();
    await recordFocusCalls(browser);
    await browser.evaluate(() => (window as unknown as { Picasso: (c: string) => void }).Picasso('open'));
    await browser.frame();
    await expect.poll(() => focusCalls(browser)).toEqual(['picasso-composer-input']);
    await browser.evaluate(() => {
      document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    await browser.mainFrame();
    await expect.poll(() => browser.attr('picasso-launcher', 'aria-expanded')).toBe('false');
    await expect.poll(() => focusCalls(browser)).toEqual(['picasso-frame', 'picasso-launcher']);
  });

  test('every control in the widget has an accessible name and completed replies are announced once in a polite live region', async ({ browserUnderTest: browser, stack }) => {
    await openWidget(browser, stack);
    const text = `Is parking available? (${browser.engine})`;
    await sendAndAwaitReply(browser, text, 1);
    const unnamed = await browser.evaluate(() =>
      Array.from(document.querySelectorAll('button, textarea, input, a[href]'))
        .filter((el) => !(el.getAttribute('aria-label') || el.textContent?.trim() || (el.id && document.querySelector(`label[for="${el.id}"]`))))
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unnamed).toEqual([]);
    const live = await browser.evaluate(() =>
      Array.from(document.querySelectorAll('[aria-live]')).map((el) => ({ politeness: el.getAttribute('aria-live'), text: el.textContent ?? '' })),
    );
    const reply = (await browser.textsOf('picasso-message', { where: { 'data-role': 'assistant' } }))[0];
    expect(live).toEqual([{ politeness: 'polite', text: reply }]);
    // The transcript itself is not live: streamed tokens are not read out one by one.
    expect(await browser.evaluate(() => document.querySelector('.messages')?.getAttribute('aria-live') ?? null)).toBeNull();
  });
});
