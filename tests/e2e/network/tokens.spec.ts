import { expect, test } from '../support/fixtures.js';
import { stagingTargets } from '../support/staging.js';
import { startE2EStack } from '../support/stack.js';
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
} from '../support/networkScenario.js';

// Needs its own BFF with 5 s stream tokens, so only against the local stack.
if (stagingTargets() === null) test.describe('token expiry during an outage', () => {
  test('a stream token that expires while the network is down is refreshed and the reply resumes exactly', async ({ browserUnderTest: browser, faultProxy }) => {
    test.setTimeout(120_000);
    const stack = await startE2EStack({ env: { TOKEN_TTL_STREAM_S: '5' } });
    try {
      const text = slowPrompt(`Token expiry during an outage (${browser.engine})`);
      await openWidget(browser, stack);
      const mintedBy = Date.now();
      await recordConnectionStates(browser);
      await send(browser, text);
      await waitForReplyText(browser, 20);
      faultProxy.block('until-restore', bffScope(stack));
      await waitForState(browser, ['reconnecting', 'offline']);
      // Past the 5 s lifetime plus the verifier's 5 s clock tolerance, counted from when the
      // session certainly existed, so the token the stream holds is refused when the link returns.
      await sleep(Math.max(0, mintedBy + 11_000 - Date.now()));
      faultProxy.restore();
      await waitForCompleteReplies(browser, 1);

      const evidence = await deliveryEvidence(browser, stack, faultProxy, text);
      expect(evidence.reply).toBe(evidence.expected);
      expect(evidence.modelCalls).toBe(1);
      expect(evidence.chatPostsForwarded).toBeLessThanOrEqual(6);
      expect(faultProxy.count({ method: 'POST', path: '/v1/sessions/refresh' })).toBeGreaterThanOrEqual(1);
      expect(inOrder(evidence.states, ['streaming', ['reconnecting', 'offline'], 'streaming', 'ready']), evidence.states.join(' > ')).toBe(true);
    } finally {
      await stack.close();
    }
  });
});
