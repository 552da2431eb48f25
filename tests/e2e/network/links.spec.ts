import { expect, test } from '../support/fixtures.js';
import { stagingTargets } from '../support/staging.js';
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
  waitForState,
} from '../support/networkScenario.js';

test.describe('degraded links and a restarting BFF', () => {
  test('a half-open link (no bytes, no FIN) is detected by the stall watchdog and the reply resumes exactly', async ({ browserUnderTest: browser, stack, faultProxy }) => {
    // The widget's watchdog is two heartbeat intervals: 3 s ones on the local stack, up to the
    // contract's 15 s on a deployment.
    const watchdogMs = stack.mode === 'staging' ? 45_000 : 15_000;
    test.setTimeout(60_000 + watchdogMs);
    const text = slowPrompt(`Half-open stall (${browser.engine})`);
    await openWidget(browser, stack);
    await recordConnectionStates(browser);
    await send(browser, text);
    await waitForReplyText(browser, 20);
    faultProxy.stall(bffScope(stack));
    await waitForState(browser, ['stalled', 'reconnecting'], watchdogMs);
    faultProxy.restore();
    await waitForCompleteReplies(browser, 1);

    const evidence = await deliveryEvidence(browser, stack, faultProxy, text);
    expect(evidence.reply).toBe(evidence.expected);
    expect(evidence.modelCalls).toBe(1);
    expect(evidence.chatPostsAll).toBeLessThanOrEqual(6);
    expect(inOrder(evidence.states, ['streaming', ['stalled', 'reconnecting'], 'streaming', 'ready']), evidence.states.join(' > ')).toBe(true);
  });

  test('a slow 3G-like link (50 kB/s, 400 ms latency) delivers the exact reply over one request', async ({ browserUnderTest: browser, stack, faultProxy }) => {
    const text = slowPrompt(`Slow 3G link (${browser.engine})`, 60, 20);
    await openWidget(browser, stack);
    await recordConnectionStates(browser);
    faultProxy.throttle({ bytesPerSecond: 50_000, latencyMs: 400 }, bffScope(stack));
    await send(browser, text);
    await waitForCompleteReplies(browser, 1);

    const evidence = await deliveryEvidence(browser, stack, faultProxy, text);
    expect(evidence.reply).toBe(evidence.expected);
    expect(evidence.modelCalls).toBe(1);
    expect(evidence.chatPostsForwarded).toBe(1);
    expect(inOrder(evidence.states, ['ready', 'streaming', 'ready']), evidence.states.join(' > ')).toBe(true);
  });

  test('a proxy that merges chunks (SSE events in 700 ms bursts) still yields the exact reply over one request', async ({ browserUnderTest: browser, stack, faultProxy }) => {
    const text = slowPrompt(`Coalescing proxy (${browser.engine})`, 80, 20);
    await openWidget(browser, stack);
    await recordConnectionStates(browser);
    faultProxy.coalesce(700, bffScope(stack));
    await send(browser, text);
    await waitForCompleteReplies(browser, 1);

    const evidence = await deliveryEvidence(browser, stack, faultProxy, text);
    expect(evidence.reply).toBe(evidence.expected);
    expect(evidence.modelCalls).toBe(1);
    expect(evidence.chatPostsForwarded).toBe(1);
    expect(inOrder(evidence.states, ['ready', 'streaming', 'ready']), evidence.states.join(' > ')).toBe(true);
  });

  // Only against the local stack: a deployment cannot be restarted from here.
  if (stagingTargets() === null) test('a BFF process restart while the client is cut off mid-stream loses no character and does not invoke the model again', async ({ browserUnderTest: browser, stack, faultProxy }) => {
    test.setTimeout(120_000);
    const text = slowPrompt(`BFF restart mid-stream (${browser.engine})`);
    await openWidget(browser, stack);
    await recordConnectionStates(browser);
    await send(browser, text);
    await waitForReplyText(browser, 20);
    // A graceful stop lets a connected client finish on the old process; cutting the link as the
    // stop begins makes the client resume against the restarting one, like a rolling deploy.
    const restarting = stack.restart();
    faultProxy.cut(bffScope(stack));
    await restarting;
    await waitForCompleteReplies(browser, 1);

    const evidence = await deliveryEvidence(browser, stack, faultProxy, text);
    expect(evidence.reply).toBe(evidence.expected);
    expect(evidence.modelCalls).toBe(1);
    expect(evidence.chatPostsForwarded).toBeLessThanOrEqual(6);
    expect(evidence.chatPostsAll).toBeLessThanOrEqual(12);
    expect(inOrder(evidence.states, ['streaming', ['reconnecting', 'offline', 'connecting'], 'streaming', 'ready']), evidence.states.join(' > ')).toBe(true);
  });
});
