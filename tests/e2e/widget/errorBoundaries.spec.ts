import { expectedReply } from '../../../src/local/bedrock/responder.js';
import type { E2EBrowser } from '../support/e2eBrowser.js';
import { expect, test as base } from '../support/fixtures.js';
import type { E2EStack } from '../support/stack.js';
import { stagingTargets } from '../support/staging.js';
import { bffFromHere, openWidget, sendAndAwaitReply } from './widgetSteps.js';

/*
 * Crashes each region of the running widget through the test hook, which only a BFF started with
 * TEST_HOOKS=1 (refused in production) enables. A deployment has no hook, so these run only
 * against the local stack.
 */
const test = base.extend<{}, { hookStack: E2EStack }>({
  hookStack: [
    async ({}, use) => {
      const { startE2EStack } = await import('../support/stack.js');
      const stack = await startE2EStack({ env: { TEST_HOOKS: '1' } });
      await use(stack);
      await stack.close();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

type Region = 'app' | 'messages' | 'composer' | 'panel';

/** Asks the widget to throw while rendering `region`; returns when the fallback shows. */
async function crash(browser: E2EBrowser, region: Region): Promise<void> {
  await browser.evaluate((name: string) => {
    window.dispatchEvent(new CustomEvent('picasso:test-crash', { detail: name }));
  }, region);
  await browser.waitForTestId('picasso-error-fallback', { attr: 'data-region', value: region });
}

async function widgetErrors(stack: E2EStack, region: Region): Promise<number> {
  const text = await (await fetch(`${bffFromHere(stack)}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`picasso_widget_errors_total{region="${region}",code="testcrash"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

if (stagingTargets() === null) {
  test.describe('a crashed region recovers on its own and the rest of the widget keeps working', () => {
    for (const region of ['messages', 'composer', 'panel', 'app'] as const) {
      test(`a crash in the ${region} region shows the fallback, recovers by itself, is reported, and the conversation goes on`, async ({ browserUnderTest: browser, hookStack: stack }, testInfo) => {
        await openWidget(browser, stack);
        const first = `Before the ${region} crash (${browser.engine})`;
        await sendAndAwaitReply(browser, first, 1);
        const draft = 'a draft that must survive';
        await browser.fill('picasso-composer-input', draft);
        const reportsBefore = await widgetErrors(stack, region);

        const crashedAt = Date.now();
        await crash(browser, region);
        await browser.waitForTestId('picasso-error-fallback', { count: 0, timeoutMs: 5_000 });
        // Observed through the driver's polling, so an upper bound; the budget is checked by the recovery machine's timing.
        testInfo.annotations.push({ type: 'recovery-ms', description: String(Date.now() - crashedAt) });

        // Regions that did not crash were not re-rendered: the draft is still in the composer.
        const input = await browser.evaluate(() => (document.querySelector('[data-testid="picasso-composer-input"]') as HTMLTextAreaElement).value);
        expect(input).toBe(region === 'composer' || region === 'app' ? '' : draft);
        // The conversation is intact after the region came back.
        expect(await browser.textsOf('picasso-message', { where: { 'data-role': 'user' } })).toEqual([first]);
        expect(await browser.textsOf('picasso-message', { where: { 'data-role': 'assistant' } })).toEqual([expectedReply(first)]);

        const second = `After the ${region} crash (${browser.engine})`;
        expect(await sendAndAwaitReply(browser, second, 2)).toBe(expectedReply(second));
        expect(await browser.textsOf('picasso-message', { where: { 'data-role': 'user' } })).toEqual([first, second]);
        await expect.poll(() => widgetErrors(stack, region)).toBe(reportsBefore + 1);
      });
    }

    test('a region that keeps crashing stays on its fallback until the person presses "Try again"', async ({ browserUnderTest: browser, hookStack: stack }) => {
      await openWidget(browser, stack);
      for (let i = 0; i < 2; i += 1) {
        await crash(browser, 'messages');
        await browser.waitForTestId('picasso-error-fallback', { count: 0, timeoutMs: 5_000 });
      }
      await crash(browser, 'messages');
      // The third crash within the window: no automatic re-render any more.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await browser.textsOf('picasso-error-fallback')).toHaveLength(1);
      // The composer, outside the crashed region, still sends.
      await browser.fill('picasso-composer-input', 'Sent while the list is down');
      await browser.click('picasso-send');
      await browser.click('picasso-error-retry');
      await browser.waitForTestId('picasso-error-fallback', { count: 0, timeoutMs: 5_000 });
      await browser.waitForTestId('picasso-message', { where: { 'data-role': 'assistant', 'data-status': 'complete' }, count: 1 });
      expect(await browser.textsOf('picasso-message', { where: { 'data-role': 'assistant' } })).toEqual([expectedReply('Sent while the list is down')]);
    });
  });
}
