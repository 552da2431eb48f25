import { readFileSync } from 'node:fs';
import { expectedReply } from '../../src/local/bedrock/responder.js';
import type { E2EBrowser } from './support/e2eBrowser.js';
import { expect, test } from './support/fixtures.js';
import type { E2EStack } from './support/stack.js';
import { stagingTargets } from './support/staging.js';

const assistant = { where: { 'data-role': 'assistant' } } as const;

async function openWidget(browser: E2EBrowser, stack: E2EStack): Promise<void> {
  await browser.open(stack.hostUrl);
  await browser.click('picasso-launcher');
  await browser.frame();
}

/** Types and sends one message, then waits until its reply has streamed to the end. */
async function sendAndAwaitReply(browser: E2EBrowser, text: string, replies: number): Promise<string> {
  await browser.fill('picasso-composer-input', text);
  await browser.click('picasso-send');
  await browser.waitForTestId('picasso-message', { where: { 'data-role': 'assistant', 'data-status': 'complete' }, count: replies });
  return (await browser.textsOf('picasso-message', assistant)).at(-1) ?? '';
}

function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test.describe('chat from a host page on another origin', () => {
  test('a typed message gets the whole streamed reply, and the model is invoked exactly once for it', async ({ browserUnderTest: browser, stack, faultProxy }) => {
    const text = `When is the clinic open on Saturdays? (${browser.engine})`;
    await openWidget(browser, stack);
    const reply = await sendAndAwaitReply(browser, text, 1);

    expect(await browser.textsOf('picasso-message', { where: { 'data-role': 'user' } })).toEqual([text]);
    expect(faultProxy.count({ method: 'POST', host: new URL(stack.bffUrl).hostname, path: '/v1/chat' })).toBe(1);
    if (stack.bedrock) {
      expect(reply).toBe(expectedReply(text));
      expect(stack.bedrock.invocations().filter((call) => call.lastUserText === text)).toHaveLength(1);
    } else {
      // A deployment's model is not deterministic: a complete, non-empty reply is what can be known.
      expect(reply.trim()).not.toBe('');
    }
  });

  // Only against the local stack: a deployment cannot be restarted from here.
  if (stagingTargets() === null) test('the conversation goes on after the BFF process restarts', async ({ browserUnderTest: browser, stack }) => {
    await openWidget(browser, stack);
    await sendAndAwaitReply(browser, 'First question before the restart', 1);
    await stack.restart();
    const text = 'Second question after the restart';
    const reply = await sendAndAwaitReply(browser, text, 2);
    expect(reply).toBe(expectedReply(text));
    expect(await browser.textsOf('picasso-message', { where: { 'data-role': 'user' } })).toEqual(['First question before the restart', text]);
  });

  for (const [label, width, height] of [
    ['phone', 390, 844],
    ['desktop', 1280, 800],
  ] as const) {
    test(`the open widget with a conversation fits a ${label} viewport (${width}x${height}) and is captured`, async ({ browserUnderTest: browser, stack }, testInfo) => {
      await browser.setViewport(width, height);
      await openWidget(browser, stack);
      const text = 'Can I book a flu vaccination?';
      const reply = await sendAndAwaitReply(browser, text, 1);
      if (stack.bedrock) expect(reply).toBe(expectedReply(text));

      await browser.mainFrame();
      const [viewportWidth, viewportHeight, frame] = await browser.evaluate(() => {
        const rect = document.querySelector('[data-testid="picasso-frame"]')!.getBoundingClientRect();
        return [window.innerWidth, window.innerHeight, { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom }] as const;
      });
      expect([viewportWidth, viewportHeight]).toEqual([width, height]);
      expect(frame.left).toBeGreaterThanOrEqual(0);
      expect(frame.top).toBeGreaterThanOrEqual(0);
      expect(frame.right).toBeLessThanOrEqual(width);
      expect(frame.bottom).toBeLessThanOrEqual(height);
      // On a phone the conversation gets (nearly) the whole width to stay readable.
      if (label === 'phone') expect(frame.right - frame.left).toBeGreaterThanOrEqual(width * 0.9);

      const file = testInfo.outputPath(`chat-${label}-${width}x${height}-${browser.engine}.png`);
      await browser.screenshot(file);
      const ratio = await browser.evaluate(() => window.devicePixelRatio);
      expect(pngSize(file)).toEqual({ width: width * ratio, height: height * ratio });
    });
  }
});
