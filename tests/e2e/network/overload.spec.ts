import type { E2EBrowser } from '../support/e2eBrowser.js';
import { expect, test } from '../support/fixtures.js';
import { PlaywrightBrowser } from '../support/playwrightBrowser.js';
import { startStatusStormProxy } from '../support/statusStormProxy.js';
import { startWebKitGtkHost } from '../support/webkitgtkHost.js';
import {
  bffScope,
  deliveryEvidence,
  inOrder,
  openWidget,
  recordConnectionStates,
  send,
  slowPrompt,
  waitForCompleteReplies,
  waitForReplyText,
} from '../support/networkScenario.js';

const STORM = 4;
const RETRY_AFTER_S = 1;

test.describe('an overloaded front answering 503 with Retry-After', () => {
  // The browser's proxy is a status-answering front chained before the fault proxy, so this
  // scenario opens its own browser of the project's engine instead of `browserUnderTest`.
  test('a 503 storm on resume is waited out as Retry-After says, then the exact reply arrives from one model call', async ({ engine, playwright, launchOptions, stack, faultProxy }) => {
    test.setTimeout(120_000);
    const front = await startStatusStormProxy(Number(new URL(faultProxy.url).port));
    const closers: Array<() => Promise<void>> = [() => front.close()];
    try {
      let browser: E2EBrowser;
      if (engine === 'webkitgtk') {
        const host = await startWebKitGtkHost();
        closers.unshift(() => host.close());
        browser = await host.newBrowser(front.address);
      } else {
        const type = engine === 'webkit' ? playwright.webkit : playwright.chromium;
        const launched = await type.launch({ ...launchOptions, proxy: { server: front.url } });
        closers.unshift(() => launched.close());
        const context = await launched.newContext({ viewport: { width: 1280, height: 800 } });
        browser = new PlaywrightBrowser(engine, context, await context.newPage());
      }
      closers.unshift(() => browser.close().catch(() => undefined));

      const text = slowPrompt(`503 storm on resume (${engine})`);
      await openWidget(browser, stack);
      await recordConnectionStates(browser);
      await send(browser, text);
      await waitForReplyText(browser, 20);
      front.storm({ times: STORM, status: 503, retryAfterS: RETRY_AFTER_S, method: 'POST', host: new URL(stack.bffUrl).hostname, path: '/v1/chat' });
      faultProxy.cut(bffScope(stack));
      await waitForCompleteReplies(browser, 1);

      const evidence = await deliveryEvidence(browser, stack, faultProxy, text);
      expect(evidence.reply).toBe(evidence.expected);
      expect(evidence.modelCalls).toBe(1);
      // The first request plus the one resume that got through; the storm never reached the BFF.
      expect(evidence.chatPostsForwarded).toBe(2);
      const answered = front.answeredAt();
      expect(answered).toHaveLength(STORM);
      // Each retry waited at least the Retry-After the front asked for (less a little timer slack).
      for (let i = 1; i < answered.length; i++) expect(answered[i]! - answered[i - 1]!).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1_000 - 50);
      expect(inOrder(evidence.states, ['streaming', 'reconnecting', 'streaming', 'ready']), evidence.states.join(' > ')).toBe(true);
    } finally {
      for (const close of closers) await close();
    }
  });
});
