import { expectedReply } from '../../../src/local/bedrock/responder.js';
import type { E2EBrowser } from '../support/e2eBrowser.js';
import { expect, test } from '../support/fixtures.js';
import {
  bffScope,
  deliveryEvidence,
  inOrder,
  lastAssistantText,
  openWidget,
  recordConnectionStates,
  send,
  sleep,
  slowPrompt,
  waitForCompleteReplies,
  waitForReplyText,
  waitForState,
} from '../support/networkScenario.js';

/** Makes the widget's document report itself hidden or visible, as a backgrounded tab would. */
async function setHidden(browser: E2EBrowser, hidden: boolean): Promise<void> {
  await browser.evaluate((isHidden: boolean) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => isHidden });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (isHidden ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

const HIDDEN_MS = 120_000;
/**
 * Real time of the page hidden, where its clock can be moved: the reply (120 chunks 40 ms apart)
 * ends on the server and heartbeats go into the broken link, past two heartbeats' stall watchdog.
 */
const HIDDEN_REAL_MS = 10_000;

test.describe('page lifecycle during a streaming reply', () => {
  // Two minutes hidden: the server finishes the reply and keeps sending heartbeats into the
  // broken link meanwhile, and the widget must neither retry nor lose anything. Where the engine
  // lets the test move the page's clock, the page lives the minutes after the first seconds at
  // once, every timer of theirs firing in order; elsewhere they are real minutes.
  test('a page hidden for 2 minutes while its link breaks waits without retrying, then resumes the exact reply when visible', async ({ browserUnderTest: browser, stack, faultProxy }) => {
    test.setTimeout((browser.clock ? HIDDEN_REAL_MS : HIDDEN_MS) + 90_000);
    const text = slowPrompt(`Hidden then visible (${browser.engine})`);
    await browser.clock?.install();
    await openWidget(browser, stack);
    await recordConnectionStates(browser);
    await send(browser, text);
    await waitForReplyText(browser, 20);
    await setHidden(browser, true);
    faultProxy.block('until-restore', bffScope(stack));
    await waitForState(browser, ['suspended']);
    const triesWhenSuspended = faultProxy.count({ method: 'POST', path: '/v1/chat', outcome: 'any' });
    if (browser.clock) {
      await sleep(HIDDEN_REAL_MS);
      await browser.clock.runFor(HIDDEN_MS - HIDDEN_REAL_MS);
    } else {
      await sleep(HIDDEN_MS);
    }
    expect(faultProxy.count({ method: 'POST', path: '/v1/chat', outcome: 'any' })).toBe(triesWhenSuspended);
    faultProxy.restore();
    await setHidden(browser, false);
    await waitForCompleteReplies(browser, 1);

    const evidence = await deliveryEvidence(browser, stack, faultProxy, text);
    expect(evidence.reply).toBe(evidence.expected);
    expect(evidence.modelCalls).toBe(1);
    expect(evidence.chatPostsForwarded).toBeLessThanOrEqual(6);
    expect(inOrder(evidence.states, ['streaming', 'suspended', 'streaming', 'ready']), evidence.states.join(' > ')).toBe(true);
  });

  test('leaving the host page mid-stream and coming back restores the conversation and the exact reply', async ({ browserUnderTest: browser, stack, faultProxy }) => {
    const text = slowPrompt(`Away and back (${browser.engine})`);
    await openWidget(browser, stack);
    await send(browser, text);
    await waitForReplyText(browser, 20);
    // Where the browser denies the third-party iframe its storage (Chromium's incognito-like
    // contexts), the session comes back through the handle the host page keeps for it.
    const widgetStorage = await browser.evaluate(() => {
      try {
        return window.localStorage !== null;
      } catch {
        return false;
      }
    });
    await browser.mainFrame();
    await browser.evaluate(() => {
      (window as unknown as { __sameDocument?: boolean }).__sameDocument = true;
    });
    await browser.open(`${stack.bffUrl}/healthz`);
    await browser.evaluate(() => {
      setTimeout(() => history.back(), 50);
    });
    await sleep(1_000);
    await browser.mainFrame();
    await browser.waitForTestId('picasso-launcher');
    // Restored from the back/forward cache (pageshow persisted) or loaded again.
    const fromCache = await browser.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
    const frameShown = await browser.evaluate(() => {
      const frame = document.querySelector('[data-testid="picasso-frame"]');
      return frame !== null && !(frame as HTMLElement).hidden;
    });
    if (!frameShown) await browser.click('picasso-launcher');
    await browser.frame();
    const path = fromCache ? 'back/forward cache' : widgetStorage ? 'reload, restored from widget storage' : 'reload, restored through the host-kept session handle';
    test.info().annotations.push({ type: 'back-forward', description: path });

    await waitForCompleteReplies(browser, 1);
    expect(await browser.textsOf('picasso-message', { where: { 'data-role': 'user' } })).toEqual([text]);
    expect(await lastAssistantText(browser)).toBe(expectedReply(text));
    const evidence = await deliveryEvidence(browser, stack, faultProxy, text);
    expect(evidence.modelCalls).toBe(1);
    expect(evidence.chatPostsForwarded).toBeLessThanOrEqual(6);
  });
});
