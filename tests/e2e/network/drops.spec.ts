import { expect, test } from '../support/fixtures.js';
import {
  bffScope,
  deliveryEvidence,
  inOrder,
  openWidget,
  recordConnectionStates,
  send,
  sleep,
  slowPrompt,
  waitForCompleteReplies,
  waitForReplyText,
  waitForState,
  type DeliveryEvidence,
} from '../support/networkScenario.js';

const OUTAGE = ['reconnecting', 'offline', 'connecting'] as const;

function expectDeliveredOnce(evidence: DeliveryEvidence, maxPosts: number): void {
  expect(evidence.reply).toBe(evidence.expected);
  expect(evidence.modelCalls).toBe(1);
  expect(evidence.chatPostsForwarded).toBeGreaterThanOrEqual(1);
  expect(evidence.chatPostsForwarded).toBeLessThanOrEqual(maxPosts);
}

test.describe('network drops on the way to the BFF', () => {
  test('a message sent while the BFF is unreachable is delivered once when the network returns', async ({ browserUnderTest: browser, stack, faultProxy }) => {
    const text = slowPrompt(`Drop before the first token (${browser.engine})`, 60);
    await openWidget(browser, stack);
    await recordConnectionStates(browser);
    faultProxy.block('until-restore', bffScope(stack));
    await send(browser, text);
    await waitForState(browser, OUTAGE);
    await sleep(2_000);
    faultProxy.restore();
    await waitForCompleteReplies(browser, 1);

    const evidence = await deliveryEvidence(browser, stack, faultProxy, text);
    expectDeliveredOnce(evidence, 6);
    expect(inOrder(evidence.states, ['ready', OUTAGE, 'streaming', 'ready']), evidence.states.join(' > ')).toBe(true);
  });

  for (const seconds of [1, 10]) {
    test(`a reply cut mid-stream for ${seconds} s resumes with no lost or repeated characters`, async ({ browserUnderTest: browser, stack, faultProxy }) => {
      const text = slowPrompt(`Mid-stream drop of ${seconds} s (${browser.engine})`);
      await openWidget(browser, stack);
      await recordConnectionStates(browser);
      await send(browser, text);
      await waitForReplyText(browser, 20);
      faultProxy.block('until-restore', bffScope(stack));
      await waitForState(browser, OUTAGE);
      await sleep(seconds * 1_000);
      faultProxy.restore();
      await waitForCompleteReplies(browser, 1);

      const evidence = await deliveryEvidence(browser, stack, faultProxy, text);
      expectDeliveredOnce(evidence, 6);
      expect(inOrder(evidence.states, ['streaming', OUTAGE, 'streaming', 'ready']), evidence.states.join(' > ')).toBe(true);
      // Only a bounded number of tries while the link is down: backoff, not a storm.
      expect(evidence.chatPostsAll).toBeLessThanOrEqual(12);
    });
  }

  // The one long outage: real time, because the widget's backoff and probe timers run in the page.
  // It outlasts the 8 tries, so the widget must fall back to probing and still resume.
  test('a reply cut mid-stream for 60 s resumes after the widget has gone offline and probed', async ({ browserUnderTest: browser, stack, faultProxy }) => {
    test.setTimeout(150_000);
    const text = slowPrompt(`Mid-stream drop of 60 s (${browser.engine})`);
    await openWidget(browser, stack);
    await recordConnectionStates(browser);
    await send(browser, text);
    await waitForReplyText(browser, 20);
    faultProxy.block('until-restore', bffScope(stack));
    await sleep(60_000);
    faultProxy.restore();
    await waitForCompleteReplies(browser, 1, 30_000);

    const evidence = await deliveryEvidence(browser, stack, faultProxy, text);
    expectDeliveredOnce(evidence, 6);
    expect(inOrder(evidence.states, ['streaming', 'reconnecting', 'offline', 'streaming', 'ready']), evidence.states.join(' > ')).toBe(true);
    // 8 stream tries, then health probes: the browser never hammers the BFF.
    expect(evidence.chatPostsAll).toBeLessThanOrEqual(12);
  });

  test('a flapping network (5 drops in 10 s) still yields the exact reply from one model call', async ({ browserUnderTest: browser, stack, faultProxy }) => {
    const text = slowPrompt(`Flapping network (${browser.engine})`, 300);
    await openWidget(browser, stack);
    await recordConnectionStates(browser);
    await send(browser, text);
    await waitForReplyText(browser, 20);
    for (let drop = 0; drop < 5; drop++) {
      faultProxy.block(1_000, bffScope(stack));
      await sleep(2_000);
    }
    await waitForCompleteReplies(browser, 1);

    const evidence = await deliveryEvidence(browser, stack, faultProxy, text);
    expectDeliveredOnce(evidence, 12);
    expect(inOrder(evidence.states, ['streaming', OUTAGE, 'streaming', 'ready']), evidence.states.join(' > ')).toBe(true);
    expect(evidence.chatPostsAll).toBeLessThanOrEqual(25);
  });
});
